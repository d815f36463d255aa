using System;

namespace Leakproof.Census.Sources;

/// <summary>One <c>IncompleteAsyncMethod</c> event: a suspended async method was finalized.</summary>
/// <param name="DetectedAt">When the event arrived.</param>
/// <param name="Description">The runtime's dump of the state machine: its type on the first line, then its fields.</param>
internal sealed record AbandonedReport(DateTimeOffset DetectedAt, string Description)
{
    /// <summary>Gets the state machine's full type name (the first line of the description).</summary>
    public string TypeName
    {
        get
        {
            int end = Description.IndexOfAny(['\r', '\n']);
            return (end < 0 ? Description : Description[..end]).Trim();
        }
    }

    /// <summary>Gets the await state read from the <c>&lt;&gt;1__state</c> line, or <see langword="null"/>.</summary>
    public int? State
    {
        get
        {
            const string Marker = "<>1__state:";
            int at = Description.IndexOf(Marker, StringComparison.Ordinal);
            if (at < 0)
            {
                return null;
            }

            int start = at + Marker.Length;
            int end = Description.IndexOfAny(['\r', '\n'], start);
            string value = (end < 0 ? Description[start..] : Description[start..end]).Trim();
            return int.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, out int state) ? state : null;
        }
    }
}
