using System;
using System.Collections.Generic;

namespace Leakproof.Census.Sources;

/// <summary>
/// Lists the pending operations of the process. The state-machine sources of .NET 10 implement it; a runtime-async
/// backend (.NET 11) can implement it beside them.
/// </summary>
internal interface IPendingWorkSource : IDisposable
{
    /// <summary>Gets the source's name as written in the census (<c>runtime-registry</c>, <c>event-source</c>).</summary>
    string Name { get; }

    /// <summary>Adds the operations pending now to <paramref name="operations"/>, and those found garbage-collected
    /// while pending since the last call to <paramref name="abandoned"/>.</summary>
    /// <param name="operations">Receives the pending operations.</param>
    /// <param name="abandoned">Receives the abandoned operations (with their task, kept alive for this capture).</param>
    void Collect(List<RawOperation> operations, List<RawOperation> abandoned);

    /// <summary>Starts watching for abandoned operations.</summary>
    void TrackAbandoned();
}
