using Leakproof.Tool.Cli;

return await LeakproofCli.RunAsync(args, ToolConsole.FromSystem()).ConfigureAwait(false);
