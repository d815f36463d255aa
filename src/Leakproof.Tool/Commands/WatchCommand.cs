using System;
using System.CommandLine;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Leakproof.Tool.Cli;
using Leakproof.Tool.Processes;
using Leakproof.Tool.Watch;
using Spectre.Console;

namespace Leakproof.Tool.Commands;

/// <summary><c>watch</c>: live growth of pending async operations by site, from the target's TplEventSource.</summary>
internal static class WatchCommand
{
    public static Command Create(ToolConsole console, TimeProvider? time = null)
    {
        time ??= TimeProvider.System;
        var target = new TargetOptions();
        var duration = new Option<TimeSpan?>("--duration", "-d") { Description = "Stop after this long (default: until Ctrl+C).", CustomParser = r => Durations.Parse(r) };
        var interval = new Option<TimeSpan>("--interval", "-i") { Description = "The sampling interval.", CustomParser = Durations.Parse, DefaultValueFactory = _ => TimeSpan.FromSeconds(1) };
        var grow = new Option<int>("--grow-intervals") { Description = "Flag a site that grew in each of this many intervals in a row.", DefaultValueFactory = _ => 3 };
        var top = new Option<int>("--top") { Description = "How many sites to show.", DefaultValueFactory = _ => 15 };
        var noAbandoned = new Option<bool>("--no-abandoned") { Description = "Do not ask for abandoned async methods (the target then keeps its cheaper, non-finalizable state machine boxes)." };
        var failOnLeaks = new Option<bool>("--fail-on-leaks") { Description = "Exit with code 1 when a site was flagged as growing or a method was abandoned." };
        var command = new Command("watch", "Watch which operation sites keep growing in a live process (operations begun during the watch and not ended).");
        target.AddTo(command);
        command.Options.Add(duration);
        command.Options.Add(interval);
        command.Options.Add(grow);
        command.Options.Add(top);
        command.Options.Add(noAbandoned);
        command.Options.Add(failOnLeaks);
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (parse.GetValue(interval) <= TimeSpan.Zero || parse.GetValue(grow) < 1 || parse.GetValue(top) < 1)
            {
                throw new ToolException(ExitCodes.Usage, "--interval must be positive; --grow-intervals and --top at least 1");
            }

            DotnetProcess process = ProcessInspector.Resolve(parse.GetValue(target.ProcessId), parse.GetValue(target.Name));
            var tracker = new PendingTracker(parse.GetValue(grow));
            TimeSpan every = parse.GetValue(interval);
            TimeSpan? stopAfter = parse.GetValue(duration);
            int shown = parse.GetValue(top);
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            if (stopAfter is { } d)
            {
                stop.CancelAfter(d);
            }

            WatchSample? last = null;
            bool suspects = false;
            await using (TplWatchSession session = await TplWatchSession.StartAsync(process.ProcessId, tracker, !parse.GetValue(noAbandoned), cancellationToken).ConfigureAwait(false))
            {
                console.Error.WriteLine($"watching process {process.ProcessId} ({process.Name}): operations begun from now on; every {every.TotalSeconds:0.###} s");
                async Task LoopAsync(Action<WatchSample> show)
                {
                    while (!stop.IsCancellationRequested && !session.Completion.IsCompleted)
                    {
                        await Task.Delay(every, time, stop.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                        last = tracker.Sample();
                        suspects |= last.Sites.Any(s => s.Growing) || last.Abandoned.Count > 0;
                        show(last);
                    }
                }

                if (console.IsOutputRedirected)
                {
                    await LoopAsync(sample => console.Out.Write(Lines(sample, shown, session.EventsLost, every))).ConfigureAwait(false);
                }
                else
                {
                    Table table = BuildTable(null, shown, 0, every);
                    await console.Ansi.Live(table).StartAsync(ctx => LoopAsync(sample =>
                    {
                        ctx.UpdateTarget(BuildTable(sample, shown, session.EventsLost, every));
                        ctx.Refresh();
                    })).ConfigureAwait(false);
                }

                if (session.Completion.IsCompleted && !cancellationToken.IsCancellationRequested && !(stopAfter is not null && stop.IsCancellationRequested))
                {
                    throw new ToolException(ExitCodes.CannotAttach, $"process {process.ProcessId} exited during the watch");
                }
            }

            if (last is not null)
            {
                string[] flagged = last.Sites.Where(s => s.Growing).Select(s => $"{s.Site} ({s.Pending} pending, grew {s.Streak} intervals in a row)").ToArray();
                console.Out.WriteLine(flagged.Length == 0 ? "suspects: none" : "suspects: " + string.Join("; ", flagged));
                foreach ((string method, int count) in last.Abandoned)
                {
                    console.Out.WriteLine($"abandoned: {count} x {method}");
                }
            }

            return parse.GetValue(failOnLeaks) && suspects ? ExitCodes.LeaksFound : ExitCodes.Ok;
        });
        return command;
    }

    public static string Lines(WatchSample sample, int top, int lost, TimeSpan every)
    {
        var text = new System.Text.StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"#{sample.Interval} pending {sample.Pending}, begun {sample.Begun / every.TotalSeconds:0}/s{(lost > 0 ? $", {lost} events lost" : string.Empty)}\n");
        foreach (SiteSample site in sample.Sites.Take(top))
        {
            text.Append(CultureInfo.InvariantCulture, $"  {site.Pending,8} {site.Delta,+8:+#;-#;0}  {site.Site}{(site.Growing ? "  GROWING" : string.Empty)}\n");
        }

        foreach ((string method, int count) in sample.Abandoned)
        {
            text.Append(CultureInfo.InvariantCulture, $"  abandoned {count} x {method}\n");
        }

        return text.ToString();
    }

    private static Table BuildTable(WatchSample? sample, int top, int lost, TimeSpan every)
    {
        var table = new Table().AddColumn(new TableColumn("pending").RightAligned()).AddColumn(new TableColumn("Δ").RightAligned()).AddColumn("site").AddColumn("");
        if (sample is null)
        {
            table.Caption("waiting for the first interval...");
            return table;
        }

        table.Caption($"#{sample.Interval}: {sample.Pending} pending, {sample.Begun / every.TotalSeconds:0} begun/s{(lost > 0 ? $", {lost} events lost" : string.Empty)}");
        foreach (SiteSample site in sample.Sites.Take(top))
        {
            table.AddRow(
                site.Pending.ToString(CultureInfo.InvariantCulture),
                site.Delta.ToString("+#;-#;0", CultureInfo.InvariantCulture),
                Markup.Escape(site.Site),
                site.Growing ? "[red]growing[/]" : string.Empty);
        }

        foreach ((string method, int count) in sample.Abandoned)
        {
            table.AddRow(count.ToString(CultureInfo.InvariantCulture), string.Empty, Markup.Escape(method), "[yellow]abandoned[/]");
        }

        return table;
    }
}
