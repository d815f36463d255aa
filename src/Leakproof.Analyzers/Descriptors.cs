using Microsoft.CodeAnalysis;

namespace Leakproof.Analyzers;

/// <summary>Every rule's descriptor. Titles and messages are what users read first: say what leaks and why.</summary>
internal static class Descriptors
{
    public static readonly DiagnosticDescriptor UnobservedTask = Create(
        RuleIds.UnobservedTask,
        RuleCategories.Leaks,
        "Task is started but never observed",
        "The task returned by '{0}' is neither awaited nor stored: its failure goes unobserved and nothing owns its lifetime",
        "A task that is discarded or dropped runs on with no owner: nobody waits for it, its exception is lost, and it can outlive whatever started it. Await it, hand it to a TaskScope, or keep it and observe it.");

    public static readonly DiagnosticDescriptor UndisposedCancellationTokenRegistration = Create(
        RuleIds.UndisposedCancellationTokenRegistration,
        RuleCategories.Leaks,
        "CancellationTokenRegistration is not disposed",
        "The registration returned by '{0}' is {1}: the callback and everything it captures stay reachable from the token until the token's source is disposed",
        "Registering on a long-lived token keeps the callback (and its closure) alive for as long as the token lives. Dispose the registration on every path, usually with 'using'.");

    public static readonly DiagnosticDescriptor UndisposedCancellationTokenSource = Create(
        RuleIds.UndisposedCancellationTokenSource,
        RuleCategories.Leaks,
        "CancellationTokenSource with a timer or a link is not disposed",
        "This CancellationTokenSource {0}: its {1} stays alive until it is disposed",
        "A linked CancellationTokenSource registers itself on its parent tokens and a timed one (a timeout or CancelAfter) holds a timer. Until it is disposed, the registration or the timer keeps it and its callbacks alive.");

    public static readonly DiagnosticDescriptor BackgroundWorkInTypeInitializer = Create(
        RuleIds.BackgroundWorkInTypeInitializer,
        RuleCategories.Leaks,
        "Background work started from a type or module initializer",
        "'{0}' starts background work from {1}: no owner can stop it, and it runs in every process and test that touches the type",
        "Work started while a type or module initializes has no owner: it cannot be stopped, it starts as a side effect of touching the type, and every test run carries it. Start it lazily and explicitly, and give it a way to stop.");

    public static readonly DiagnosticDescriptor UndisposedTimer = Create(
        RuleIds.UndisposedTimer,
        RuleCategories.Leaks,
        "Timer is never disposed",
        "{0}",
        "A timer that is never disposed keeps firing (and keeps its callback's captures alive) for as long as its owner lives, or forever for a static field; a timer that is created and dropped stops whenever the garbage collector decides. Keep timers in a field the owner disposes.");

    public static readonly DiagnosticDescriptor TaskCompletionSourceCompletedUnderLock = Create(
        RuleIds.TaskCompletionSourceCompletedUnderLock,
        RuleCategories.Leaks,
        "TaskCompletionSource completed under a lock runs continuations synchronously",
        "'{0}' is completed inside a lock but was created without TaskCreationOptions.RunContinuationsAsynchronously: awaiting code runs under the lock",
        "Completing a TaskCompletionSource runs its awaiters' continuations inline unless it was created with RunContinuationsAsynchronously. Done under a lock, other code runs while the lock is held: deadlocks and stalls follow.");

    public static readonly DiagnosticDescriptor ChannelConsumerExitsWithoutCompletingWriter = Create(
        RuleIds.ChannelConsumerExitsWithoutCompletingWriter,
        RuleCategories.Leaks,
        "Channel consumer exits without completing the writer",
        "The consumer of '{0}' exits here without completing '{0}.Writer': its producers block on a full channel or keep writing items nobody reads",
        "When the only consumer of a channel stops on an error, producers of a bounded channel wait forever for space and producers of an unbounded one fill memory. Complete the writer (Writer.TryComplete(exception)) on every path out of the consumer, usually in a finally, so producers fail fast with ChannelClosedException.");

    public static readonly DiagnosticDescriptor TaskCompletionSourceNotCompletedOnDispose = Create(
        RuleIds.TaskCompletionSourceNotCompletedOnDispose,
        RuleCategories.Leaks,
        "TaskCompletionSource is not completed when its owner is disposed",
        "'{0}' is never completed by the Dispose methods of '{1}': code awaiting its Task after dispose waits forever",
        "A disposable type that hands out the Task of a TaskCompletionSource field must complete that source when it is disposed; otherwise every awaiter (and everything waiting for them) hangs forever. Call TrySetCanceled (or TrySetException) in Dispose/DisposeAsync.");

    public static readonly DiagnosticDescriptor FanOutWithoutSiblingCancellation = Create(
        RuleIds.FanOutWithoutSiblingCancellation,
        RuleCategories.Cancellation,
        "Fan-out where a failure does not cancel the siblings",
        "{0}",
        "Task.WhenAll, or tasks started together and awaited one by one, let the siblings of a failed task run on: with WhenAll they are waited for but never told to stop, awaited one by one they are never observed at all. Use TaskScope, which cancels the siblings on the first failure and waits for them.");

    public static readonly DiagnosticDescriptor WhenAnyLosersNotCancelled = Create(
        RuleIds.WhenAnyLosersNotCancelled,
        RuleCategories.Cancellation,
        "Task.WhenAny race leaves the losers running",
        "The tasks that lose this Task.WhenAny race are neither cancelled nor awaited: they run on unobserved",
        "Task.WhenAny returns when the first task finishes; the others keep running, and their failures are never observed. Cancel the losers (a linked CancellationTokenSource cancelled after the race) and await them, or use a TaskScope.");

    public static readonly DiagnosticDescriptor TimeoutAbandonsWork = Create(
        RuleIds.TimeoutAbandonsWork,
        RuleCategories.Cancellation,
        "Timeout abandons the work instead of cancelling it",
        "{0}",
        "A timeout built from Task.WhenAny(work, Task.Delay(...)) or work.WaitAsync(timeout) stops waiting, not working: the work runs on after the timeout, and a Task.Delay without a token keeps its timer until it fires. Pass a token that the timeout cancels (CancelAfter on a linked source) to the work itself.");

    public static readonly DiagnosticDescriptor LoopIgnoresCancellation = Create(
        RuleIds.LoopIgnoresCancellation,
        RuleCategories.Cancellation,
        "Background loop never observes its cancellation token",
        "{0}",
        "A loop that never looks at its cancellation token can only be stopped by killing the process; passing the token to Task.Run only cancels a task that has not started yet. Check or pass the token inside the loop.");

    public static readonly DiagnosticDescriptor WaitWithoutCancellation = Create(
        RuleIds.WaitWithoutCancellation,
        RuleCategories.Cancellation,
        "Wait with no cancellation token and no timeout",
        "'{0}' waits with no cancellation token and no timeout{1}: if nothing ever signals it, this waits forever",
        "A wait with neither a token nor a timeout can only end when someone signals it; if that someone died (a consumer, a producer, a releaser), the waiter hangs forever and so does everything that waits for it. Pass a token.");

    private static DiagnosticDescriptor Create(string id, string category, string title, string message, string description) =>
        new(
            id,
            title,
            message,
            category,
            DiagnosticSeverity.Warning,
            isEnabledByDefault: true,
            description,
            RuleHelpUri.For(id));
}
