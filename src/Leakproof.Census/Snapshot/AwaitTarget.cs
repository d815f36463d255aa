namespace Leakproof.Census;

/// <summary>Describes what a suspended async method awaits.</summary>
public sealed class AwaitTarget
{
    /// <summary>Gets the kind of the awaited operation.</summary>
    public PendingOperationKind Kind { get; init; }

    /// <summary>Gets the awaited object's type: a task type, or an <c>IValueTaskSource</c> such as a channel's blocked writer.</summary>
    public string TypeName { get; init; } = string.Empty;

    /// <summary>Gets the awaited operation's id when it is itself in the census, or <see langword="null"/>.</summary>
    public long? OperationId { get; init; }

    /// <summary>Returns the target as <c>Kind (Type)</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => OperationId is long id ? $"{Kind} {TypeName} #{id}" : $"{Kind} {TypeName}";
}
