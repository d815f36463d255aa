namespace Leakproof.Census;

/// <summary>Describes where a pending operation was created.</summary>
public sealed class CreationSite
{
    /// <summary>Gets the creating member, when known (a task scope child's caller).</summary>
    public string? Member { get; init; }

    /// <summary>Gets the creating source file, when known.</summary>
    public string? File { get; init; }

    /// <summary>Gets the creating source line, when known.</summary>
    public int? Line { get; init; }

    /// <summary>Gets the stack captured at creation, when <see cref="CensusOptions.CaptureCreationStacks"/> was on.</summary>
    public string? StackTrace { get; init; }

    /// <summary>Returns the site as <c>Member at file:line</c>, or the first line of the stack.</summary>
    /// <returns>The text.</returns>
    public override string ToString() =>
        File is not null ? $"{Member} at {File}:{Line}" : StackTrace?.Split('\n')[0].Trim() ?? Member ?? "unknown";
}
