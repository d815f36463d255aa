using System;
using System.Collections.Generic;
using Leakproof.Census;

namespace Leakproof.Testing.Internal;

/// <summary>Matches operations against a guard's ignore rules.</summary>
internal sealed class IgnoreRules
{
    /// <summary>The options holding the rules.</summary>
    private readonly LeakGuardOptions _options;

    /// <summary>The namespaces ignored by default, matched against the innermost frame only (like goleak's defaults),
    /// so a user's leak awaited somewhere below a test host frame is still reported.</summary>
    private readonly IReadOnlyList<string> _defaultNamespaces;

    public IgnoreRules(LeakGuardOptions options)
    {
        _options = options;
        _defaultNamespaces = options.UseDefaultIgnores ? LeakGuardOptions.DefaultIgnoredNamespaces : [];
    }

    /// <summary>Tells whether a pending operation is ignored.</summary>
    /// <param name="operation">The operation.</param>
    /// <returns><see langword="true"/> if a rule matches its description or any frame of its stack.</returns>
    public bool IsIgnored(PendingOperation operation)
    {
        string top = operation.AwaitSite?.Method ?? operation.Description;
        if (Matches(operation.Description, null, null) || InNamespace(top, _defaultNamespaces) || InNamespace(operation.Description, _defaultNamespaces))
        {
            return true;
        }

        foreach (CensusFrame frame in operation.AsyncStack.Count > 0 ? operation.AsyncStack : operation.AwaitSite is { } site ? [site] : [])
        {
            if (Matches(frame.Method, frame.File, frame.Line))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Tells whether an abandoned method is ignored.</summary>
    /// <param name="abandoned">The abandoned method.</param>
    /// <returns><see langword="true"/> if a rule matches it.</returns>
    public bool IsIgnored(AbandonedOperation abandoned) =>
        InNamespace(abandoned.Method, _defaultNamespaces) || Matches(abandoned.Method, abandoned.AwaitSite?.File, abandoned.AwaitSite?.Line);

    private static bool InNamespace(string method, IReadOnlyList<string> namespaces)
    {
        string member = method.StartsWith("Task.Run ", StringComparison.Ordinal) ? method["Task.Run ".Length..] : method;
        foreach (string ns in namespaces)
        {
            if (member.StartsWith(ns + ".", StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private bool Matches(string method, string? file, int? line)
    {
        string member = method.StartsWith("Task.Run ", StringComparison.Ordinal) ? method["Task.Run ".Length..] : method;
        foreach (string ignored in _options.IgnoredMethods)
        {
            if (member == ignored || member.StartsWith(ignored + ".", StringComparison.Ordinal))
            {
                return true; // A lambda or local function inside the method counts as the method.
            }
        }

        foreach (string type in _options.IgnoredTypes)
        {
            if (member.StartsWith(type + ".", StringComparison.Ordinal))
            {
                return true;
            }
        }

        if (InNamespace(member, _options.IgnoredNamespaces))
        {
            return true;
        }

        if (file is not null && line is int l)
        {
            foreach ((string ignoredFile, int ignoredLine) in _options.IgnoredAwaitSites)
            {
                if (l == ignoredLine && file.EndsWith(ignoredFile, StringComparison.Ordinal))
                {
                    return true;
                }
            }
        }

        return false;
    }
}
