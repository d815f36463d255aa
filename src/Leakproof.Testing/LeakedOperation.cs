using Leakproof.Census;

namespace Leakproof.Testing;

/// <summary>Describes one operation the guarded code started and left pending or abandoned.</summary>
public sealed class LeakedOperation
{
    internal LeakedOperation(PendingOperation operation)
    {
        State = LeakState.Pending;
        Kind = operation.Kind;
        Description = operation.Description;
        AwaitSite = operation.AwaitSite;
        Operation = operation;
    }

    internal LeakedOperation(AbandonedOperation abandoned)
    {
        State = LeakState.Abandoned;
        Kind = PendingOperationKind.AsyncMethod;
        Description = abandoned.Method;
        AwaitSite = abandoned.AwaitSite;
        Abandoned = abandoned;
    }

    /// <summary>Gets whether the operation is pending or was abandoned.</summary>
    public LeakState State { get; }

    /// <summary>Gets the operation's kind.</summary>
    public PendingOperationKind Kind { get; }

    /// <summary>Gets the method of an async method, otherwise a short description (<c>Task.Delay</c>).</summary>
    public string Description { get; }

    /// <summary>Gets where the operation is (or was) suspended, or <see langword="null"/> when it is no async method.</summary>
    public CensusFrame? AwaitSite { get; }

    /// <summary>Gets the await site's source file, or <see langword="null"/> when unknown.</summary>
    public string? File => AwaitSite?.File;

    /// <summary>Gets the await site's source line, or <see langword="null"/> when unknown.</summary>
    public int? Line => AwaitSite?.Line;

    /// <summary>Gets the census entry of a pending operation (stack, creation site, age), or <see langword="null"/>.</summary>
    public PendingOperation? Operation { get; }

    /// <summary>Gets the census entry of an abandoned method, or <see langword="null"/>.</summary>
    public AbandonedOperation? Abandoned { get; }

    /// <summary>Returns the operation as <c>state Description at file:line</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString() =>
        $"{(State == LeakState.Pending ? "pending" : "abandoned")} {Kind} {Description}" + (File is null ? string.Empty : $" at {File}:{Line}");
}
