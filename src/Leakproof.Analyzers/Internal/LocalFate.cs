namespace Leakproof.Analyzers.Internal;

/// <summary>What becomes of a disposable local by the end of its function.</summary>
internal enum LocalFate
{
    /// <summary>Disposed by <c>using</c>, in a finally block, or before every exit.</summary>
    Disposed,

    /// <summary>Handed on (returned, stored, passed as an argument): someone else owns it now.</summary>
    Escapes,

    /// <summary>Disposed, but an early <c>return</c> or <c>throw</c> skips the disposal.</summary>
    DisposedNotOnEveryPath,

    /// <summary>Never disposed.</summary>
    NeverDisposed,
}
