using System.Threading;
using System.Threading.Tasks;

namespace Leakproof.Census.Sources;

/// <summary>One pending operation as a source reports it, before analysis.</summary>
internal sealed class RawOperation
{
    /// <summary>Gets or sets the operation's id (the task id).</summary>
    public long Id { get; set; }

    /// <summary>Gets or sets the task, when the source holds it (the event-source fallback does not).</summary>
    public Task? Task { get; set; }

    /// <summary>Gets or sets the runtime's operation name (event source only), such as <c>Async: &lt;Run&gt;d__3</c>.</summary>
    public string? OperationName { get; set; }

    /// <summary>Gets or sets the execution context current when the operation began, when recorded.</summary>
    public ExecutionContext? CreationContext { get; set; }

    /// <summary>Gets or sets the stack captured when the operation began, when recorded.</summary>
    public string? CreationStack { get; set; }

    /// <summary>Gets or sets the <see cref="System.TimeProvider"/> timestamp at which the census first saw the operation.</summary>
    public long FirstSeen { get; set; }

    /// <summary>Gets the takeover sequence number of the registry source's entry, or 0 when there is none.</summary>
    public long Sequence => Tracking?.Sequence ?? 0;

    /// <summary>Gets or sets the registry source's entry, so analysis can record what abandonment matching needs.</summary>
    public TrackedTask? Tracking { get; set; }
}
