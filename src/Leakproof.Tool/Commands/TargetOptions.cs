using System.CommandLine;

namespace Leakproof.Tool.Commands;

/// <summary>The <c>-p</c> / <c>-n</c> pair every command that inspects a process takes.</summary>
internal sealed class TargetOptions
{
    public Option<int?> ProcessId { get; } = new("--process-id", "-p") { Description = "The id of the .NET process." };

    public Option<string?> Name { get; } = new("--name", "-n") { Description = "The name of the .NET process (the entry assembly's name for 'dotnet app.dll')." };

    public void AddTo(Command command)
    {
        command.Options.Add(ProcessId);
        command.Options.Add(Name);
    }
}
