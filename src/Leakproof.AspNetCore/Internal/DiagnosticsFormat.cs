namespace Leakproof.AspNetCore.Internal;

/// <summary>The formats the diagnostics endpoint writes.</summary>
internal enum DiagnosticsFormat
{
    /// <summary>The census's text form (<c>text/plain</c>).</summary>
    Text,

    /// <summary>The census's JSON form (<c>application/json</c>).</summary>
    Json,

    /// <summary>The self-contained HTML page (<c>text/html</c>).</summary>
    Html,
}
