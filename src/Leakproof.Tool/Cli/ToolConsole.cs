using System;
using System.IO;
using Spectre.Console;

namespace Leakproof.Tool.Cli;

/// <summary>Where the tool writes: the real console, or writers a test captures.</summary>
internal sealed class ToolConsole
{
    public ToolConsole(TextWriter output, TextWriter error, bool isOutputRedirected, IAnsiConsole? ansi = null)
    {
        Out = output;
        Error = error;
        IsOutputRedirected = isOutputRedirected;
        Ansi = ansi ?? AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = isOutputRedirected ? AnsiSupport.No : AnsiSupport.Detect,
            ColorSystem = isOutputRedirected ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
            Interactive = isOutputRedirected ? InteractionSupport.No : InteractionSupport.Detect,
        });
    }

    public TextWriter Out { get; }

    public TextWriter Error { get; }

    /// <summary>Gets a value indicating whether standard output is a file or pipe: then no live views, plain lines only.</summary>
    public bool IsOutputRedirected { get; }

    public IAnsiConsole Ansi { get; }

    /// <summary>Gets what opens standard output as a byte stream (large reports are streamed), or <see langword="null"/> when only <see cref="Out"/> may be written (tests).</summary>
    public Func<Stream>? OpenStandardOutput { get; init; }

    public static ToolConsole FromSystem() =>
        new(Console.Out, Console.Error, Console.IsOutputRedirected, Console.IsOutputRedirected ? null : AnsiConsole.Console) { OpenStandardOutput = Console.OpenStandardOutput };
}
