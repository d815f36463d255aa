namespace LeakLab.Scenarios.FireAndForget;

/// <summary>A background job: most succeed, a poison one throws, a stuck one waits for a callback that never comes.</summary>
internal sealed record Job(int Id, bool Poison = false, bool Stuck = false)
{
    public static readonly Job[] Batch = [new(1), new(2, Poison: true), new(3, Stuck: true)];

    /// <summary>Gets the callback a stuck job waits for; nobody ever completes it.</summary>
    public static TaskCompletionSource NeverCalledBack { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
