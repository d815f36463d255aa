namespace Leakproof.Tool.Processes;

/// <summary>A .NET process that publishes a diagnostics port.</summary>
/// <param name="ProcessId">The process id.</param>
/// <param name="Name">The entry assembly's name for <c>dotnet app.dll</c>, else the executable's name.</param>
/// <param name="RuntimeVersion">The runtime version, or <c>unknown</c>.</param>
/// <param name="Agent">Whether the Leakproof agent runs in it.</param>
internal sealed record DotnetProcess(int ProcessId, string Name, string RuntimeVersion, AgentPresence Agent);
