namespace Leakproof.Tool.Watch;

/// <summary>One operation site at the end of an interval.</summary>
/// <param name="Site">The operation name (<c>Async: &lt;Method&gt;d__N</c>, <c>Task.Delay</c> ...).</param>
/// <param name="Pending">Operations begun during the watch and not ended.</param>
/// <param name="Delta">The change over the last interval.</param>
/// <param name="Streak">How many intervals in a row the site grew.</param>
/// <param name="Growing">Whether the streak reached the threshold: a leak suspect.</param>
internal sealed record SiteSample(string Site, long Pending, long Delta, int Streak, bool Growing);
