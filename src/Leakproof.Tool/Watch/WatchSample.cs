using System.Collections.Generic;

namespace Leakproof.Tool.Watch;

/// <summary>What the watch saw at the end of one interval.</summary>
/// <param name="Interval">The interval's number, from 1.</param>
/// <param name="Begun">Operations begun during the interval.</param>
/// <param name="Pending">Operations pending in total.</param>
/// <param name="Sites">The sites, most pending first.</param>
/// <param name="Abandoned">Async methods collected while pending, by description's first line, since the start.</param>
internal sealed record WatchSample(int Interval, long Begun, long Pending, IReadOnlyList<SiteSample> Sites, IReadOnlyDictionary<string, int> Abandoned);
