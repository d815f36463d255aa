using System.Collections.Generic;
using System.CommandLine;
using Leakproof.Tool.Cli;
using Leakproof.Tool.Processes;
using Spectre.Console;

namespace Leakproof.Tool.Commands;

/// <summary><c>ps</c>: the .NET processes this user can attach to.</summary>
internal static class PsCommand
{
    public static Command Create(ToolConsole console)
    {
        var command = new Command("ps", "List the .NET processes this user can inspect: id, name, runtime version, whether the Leakproof agent runs in them.");
        command.SetAction(_ =>
        {
            IReadOnlyList<DotnetProcess> processes = ProcessInspector.List();
            if (console.IsOutputRedirected)
            {
                console.Out.WriteLine($"{"pid",8}  {"name",-32} {"runtime",-14} agent");
                foreach (DotnetProcess p in processes)
                {
                    console.Out.WriteLine($"{p.ProcessId,8}  {p.Name,-32} {p.RuntimeVersion,-14} {Agent(p.Agent)}");
                }

                return ExitCodes.Ok;
            }

            var table = new Table().AddColumn(new TableColumn("pid").RightAligned()).AddColumn("name").AddColumn("runtime").AddColumn("agent");
            foreach (DotnetProcess p in processes)
            {
                table.AddRow(p.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture), Markup.Escape(p.Name), p.RuntimeVersion, Agent(p.Agent));
            }

            console.Ansi.Write(table);
            return ExitCodes.Ok;
        });
        return command;
    }

    public static string Agent(AgentPresence presence) => presence switch
    {
        AgentPresence.Yes => "yes",
        AgentPresence.No => "no",
        _ => "unknown",
    };
}
