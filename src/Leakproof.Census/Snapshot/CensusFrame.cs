namespace Leakproof.Census;

/// <summary>Describes one frame of a logical async stack: an await site, or a combinator that waits on its inputs.</summary>
public sealed class CensusFrame
{
    /// <summary>Gets the method, as <c>Namespace.Type.Method</c>, or the combinator's name (<c>Task.WhenAll</c>).</summary>
    public string Method { get; init; } = string.Empty;

    /// <summary>Gets the compiler-generated state machine type, or <see langword="null"/> for combinators and unknown frames.</summary>
    public string? StateMachineType { get; init; }

    /// <summary>Gets the await state (0 for the first await in the method), or <see langword="null"/> when unknown.</summary>
    public int? State { get; init; }

    /// <summary>Gets the source file of the await, or <see langword="null"/> when no portable PDB was found.</summary>
    public string? File { get; init; }

    /// <summary>Gets the source line of the await, or <see langword="null"/> when no portable PDB was found.</summary>
    public int? Line { get; init; }

    /// <summary>Returns the frame as <c>Method (state N) at file:line</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString()
    {
        string state = State is int s ? $" (state {s})" : string.Empty;
        return File is null ? Method + state : $"{Method}{state} at {File}:{Line}";
    }
}
