using System.Collections.Generic;

namespace Leakproof.Census.Sources;

/// <summary>
/// The fallback source: operations the runtime's task events reported begun and not ended. It has no task objects,
/// so it knows each operation's name (an async method's name without its type) but no await line and no stack.
/// </summary>
internal sealed class EventSourceSource : IPendingWorkSource
{
    /// <summary>The listener that records begun operations.</summary>
    private readonly TplListener _listener;

    public EventSourceSource(TplListener listener)
    {
        _listener = listener;
        _listener.Configure(keepAll: true, captureStacks: false, keepContexts: false, abandoned: false);
    }

    /// <inheritdoc/>
    public string Name => "event-source";

    /// <inheritdoc/>
    public void Collect(List<RawOperation> operations, List<RawOperation> abandoned)
    {
        foreach (KeyValuePair<int, BegunOperation> pair in _listener.SnapshotBegun())
        {
            operations.Add(new RawOperation
            {
                Id = pair.Key,
                OperationName = pair.Value.Name,
                CreationContext = pair.Value.Context,
                CreationStack = pair.Value.Stack,
                FirstSeen = pair.Value.FirstSeen,
            });
        }
    }

    /// <inheritdoc/>
    public void TrackAbandoned() =>
        _listener.Configure(keepAll: true, captureStacks: false, keepContexts: false, abandoned: true); // The runtime's IncompleteAsyncMethod events.

    /// <inheritdoc/>
    public void Dispose()
    {
        // The listener is owned by the engine.
    }
}
