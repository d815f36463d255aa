namespace Leakproof.Census;

/// <summary>Chooses how much a text census shows, like the <c>debug</c> level of Go's goroutine profile.</summary>
public enum CensusTextDetail
{
    /// <summary>Groups by await site with counts and ages, sorted by count (pprof <c>debug=1</c>).</summary>
    Groups = 1,

    /// <summary>Every operation with its await site, target, owner, creation site and async stack (pprof <c>debug=2</c>).</summary>
    Operations = 2,
}
