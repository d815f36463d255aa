using System;
using System.Text;

namespace Leakproof.Census.Analysis;

/// <summary>
/// Turns compiler-generated state machine names into the method a reader knows: <c>&lt;RunAsync&gt;d__5</c> is
/// <c>RunAsync</c>, <c>&lt;&lt;Main&gt;b__2_0&gt;d</c> a lambda in <c>Main</c>, <c>&lt;&lt;Main&gt;g__Wait|0_2&gt;d</c>
/// the local function <c>Wait</c> in <c>Main</c>.
/// </summary>
internal static class StateMachineNames
{
    /// <summary>Method names by state machine type.</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<Type, string> s_methodNames = new();

    /// <summary>Builds <c>Namespace.Type.Method</c> for a state machine type.</summary>
    /// <param name="stateMachineType">The state machine type.</param>
    /// <returns>The readable method name.</returns>
    public static string MethodName(Type stateMachineType) => s_methodNames.GetOrAdd(stateMachineType, CreateMethodName);

    private static string CreateMethodName(Type stateMachineType)
    {
        Type? owner = stateMachineType.DeclaringType;
        while (owner is not null && owner.Name.StartsWith('<'))
        {
            owner = owner.DeclaringType; // Closure classes (<>c, <>c__DisplayClass) belong to the user's type.
        }

        string member = MemberName(stateMachineType.Name);
        return owner is null ? member : TypeName(owner) + "." + member;
    }

    /// <summary>Parses a compiler-generated name from the TplEventSource (<c>Async: &lt;Method&gt;d__N</c>) or a type.</summary>
    /// <param name="generatedName">The generated name.</param>
    /// <returns>The readable member name, or the input when it is not generated.</returns>
    public static string MemberName(string generatedName)
    {
        if (!generatedName.StartsWith('<'))
        {
            return generatedName;
        }

        int end = MatchingBracket(generatedName, 0);
        if (end < 0)
        {
            return generatedName;
        }

        string inner = generatedName[1..end];
        if (!inner.StartsWith('<'))
        {
            return inner;
        }

        // A lambda or local function: <Outer>b__2_0 or <Outer>g__Name|0_2.
        int outerEnd = MatchingBracket(inner, 0);
        if (outerEnd < 0)
        {
            return inner;
        }

        // The enclosing member: a plain name, or itself generated (top-level statements' <Main>$).
        string outer = MemberName(inner[1..outerEnd]);
        string rest = inner[(outerEnd + 1)..];
        if (rest.StartsWith("g__", StringComparison.Ordinal))
        {
            int bar = rest.IndexOf('|', StringComparison.Ordinal);
            return outer + "." + (bar > 3 ? rest[3..bar] : rest[3..]);
        }

        return outer + ".lambda";
    }

    /// <summary>Formats a type name without generic arity markers, nested types joined by dots.</summary>
    /// <param name="type">The type.</param>
    /// <returns>The name.</returns>
    public static string TypeName(Type type)
    {
        string name = type.FullName ?? type.Name;
        int generic = name.IndexOf('[', StringComparison.Ordinal);
        if (generic > 0)
        {
            name = name[..generic];
        }

        var builder = new StringBuilder(name.Length);
        bool skipDigits = false;
        foreach (char c in name)
        {
            if (c == '`')
            {
                skipDigits = true; // Drop the arity digits that follow.
                continue;
            }

            if (skipDigits && char.IsAsciiDigit(c))
            {
                continue;
            }

            skipDigits = false;
            builder.Append(c == '+' ? '.' : c);
        }

        return builder.ToString();
    }

    private static int MatchingBracket(string text, int open)
    {
        int depth = 0;
        for (int i = open; i < text.Length; i++)
        {
            if (text[i] == '<')
            {
                depth++;
            }
            else if (text[i] == '>' && --depth == 0)
            {
                return i;
            }
        }

        return -1;
    }
}
