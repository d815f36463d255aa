using System.Collections.Generic;
using System.Text;
using Leakproof.Census.Analysis;

namespace Leakproof.HeapCensus.Internal;

/// <summary>
/// Turns the type names ClrMD reads from a dump into the names the in-process census shows:
/// <c>App.Worker+&lt;RunAsync&gt;d__5</c> is <c>App.Worker.RunAsync</c>, a lambda is <c>Outer.lambda</c>, a local
/// function <c>Outer.Name</c>; nested types are joined by dots.
/// </summary>
internal static class HeapNames
{
    /// <summary>Builds <c>Namespace.Type.Method</c> from a state machine's type name.</summary>
    /// <param name="machineName">The state machine type name.</param>
    /// <returns>The readable method name.</returns>
    public static string MethodName(string machineName)
    {
        List<string> segments = SplitNested(machineName);
        string member = StateMachineNames.MemberName(segments[^1]); // The same parser as the in-process census.
        var owner = new StringBuilder();
        for (int i = 0; i < segments.Count - 1; i++)
        {
            if (segments[i].StartsWith('<'))
            {
                continue; // Closure classes (<>c, <>c__DisplayClass) belong to the user's type.
            }

            _ = owner.Append(owner.Length > 0 ? "." : string.Empty).Append(TypeName(segments[i]));
        }

        return owner.Length == 0 ? member : owner.Append('.').Append(member).ToString();
    }

    /// <summary>Formats a type name: nested types joined by dots, arity markers dropped.</summary>
    /// <param name="name">The name as read from the dump.</param>
    /// <returns>The readable name.</returns>
    public static string TypeName(string name)
    {
        var builder = new StringBuilder(name.Length);
        bool skipDigits = false;
        foreach (char c in name)
        {
            if (c == '`')
            {
                skipDigits = true;
                continue;
            }

            if (skipDigits && char.IsAsciiDigit(c))
            {
                continue;
            }

            skipDigits = false;
            _ = builder.Append(c == '+' ? '.' : c);
        }

        return builder.ToString();
    }

    private static List<string> SplitNested(string name)
    {
        var segments = new List<string>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < name.Length; i++)
        {
            switch (name[i])
            {
                case '<':
                    depth++;
                    break;
                case '>':
                    depth--;
                    break;
                case '+' when depth == 0:
                    segments.Add(name[start..i]);
                    start = i + 1;
                    break;
                default:
                    break;
            }
        }

        segments.Add(name[start..]);
        return segments;
    }
}
