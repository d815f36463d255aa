using System.Threading;

namespace Leakproof.Census.Sources;

/// <summary>An operation the runtime's task events reported begun and not yet ended.</summary>
/// <param name="Name">The runtime's operation name.</param>
/// <param name="Context">The execution context current at the begin event, when recorded.</param>
/// <param name="Stack">The stack at the begin event, when recorded.</param>
/// <param name="FirstSeen">The timestamp of the begin event.</param>
internal sealed record BegunOperation(string Name, ExecutionContext? Context, string? Stack, long FirstSeen);
