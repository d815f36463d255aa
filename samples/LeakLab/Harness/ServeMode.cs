using System.Diagnostics;
using Leakproof.Census;

namespace LeakLab.Harness;

/// <summary>
/// <c>LeakLab serve</c>: runs every leaky variant again and again, like a service that leaks a little per request,
/// with the census and the Leakproof agent enabled, until it is killed. The target of <c>dotnet-leakproof demo</c>.
/// </summary>
public static class ServeMode
{
    /// <summary>The line printed once the agent is listening; tools wait for it.</summary>
    public const string ReadyLine = "LeakLab serve: ready";

    /// <summary>The start of the line printed after each round of leaky variants.</summary>
    public const string RoundLine = "LeakLab serve: round";

    /// <summary>Runs the serving loop.</summary>
    /// <param name="interval">The pause between rounds.</param>
    /// <param name="rounds">How many rounds to run before idling, or 0 for no limit.</param>
    /// <param name="cancellationToken">Stops the loop (Ctrl+C).</param>
    /// <returns>A task that completes when the loop is cancelled.</returns>
    public static async Task RunAsync(TimeSpan interval, int rounds, CancellationToken cancellationToken)
    {
        LeakproofAgent.Start();
        Console.WriteLine($"{ReadyLine} (pid {Environment.ProcessId}, agent {LeakproofAgent.EventSourceName})");
        for (int round = 1; !cancellationToken.IsCancellationRequested; round++)
        {
            if (rounds > 0 && round > rounds)
            {
                await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                break;
            }

            var clock = Stopwatch.StartNew();
            foreach (IScenario scenario in Lab.Scenarios)
            {
                try
                {
                    await scenario.RunLeakyAsync(new LeakProbe()).WaitAsync(TimeSpan.FromSeconds(10), cancellationToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    Console.Error.WriteLine($"LeakLab serve: {scenario.Name}: {ex.GetType().Name}: {ex.Message}");
                }
            }

            Console.WriteLine($"{RoundLine} {round} done in {clock.ElapsedMilliseconds} ms");
            await Task.Delay(interval, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }
}
