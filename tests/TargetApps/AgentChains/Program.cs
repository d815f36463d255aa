using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using Leakproof.Census;

namespace AgentChains;

/// <summary>
/// Starts the Leakproof agent, then parks <c>--chains N</c> async chains (<c>OuterAsync</c> → <c>ParkAsync</c>, on one
/// gate), and with <c>--churn R</c> runs about R short async operations per second that suspend and resume. A thread
/// ticking every millisecond records its largest gap between ticks: the longest time the process stood still.
/// Prints <c>ready</c>, then answers lines on standard input: <c>gap</c> prints <c>gap &lt;ms&gt;</c> (and resets it),
/// <c>ops</c> prints <c>ops &lt;completed churn operations&gt;</c>, <c>exit</c> ends the process.
/// </summary>
public static class Program
{
    private static readonly TaskCompletionSource s_gate = new();
    private static readonly List<Task> s_roots = [];
    private static long s_maxGapTicks;
    private static long s_churned;

    public static int Main(string[] args)
    {
        int chains = ReadOption(args, "--chains", 1000);
        int churn = ReadOption(args, "--churn", 0);
        LeakproofAgent.Start();
        for (int i = 0; i < chains; i++)
        {
            s_roots.Add(OuterAsync());
        }

        var ticker = new Thread(Tick) { IsBackground = true, Name = "gap-ticker" };
        ticker.Start();
        if (churn > 0)
        {
            _ = Task.Run(() => ChurnAsync(churn));
        }

        Console.Out.WriteLine("ready");
        Console.Out.Flush();
        while (Console.In.ReadLine() is { } line)
        {
            switch (line.Trim())
            {
                case "gap":
                    long ticks = Interlocked.Exchange(ref s_maxGapTicks, 0);
                    Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"gap {ticks * 1000.0 / Stopwatch.Frequency:0.0}"));
                    break;
                case "ops":
                    Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ops {Interlocked.Read(ref s_churned)}"));
                    break;
                case "exit":
                    return 0;
            }

            Console.Out.Flush();
        }

        return 0;
    }

    private static void Tick()
    {
        long last = Stopwatch.GetTimestamp();
        while (true)
        {
            Thread.Sleep(1);
            long now = Stopwatch.GetTimestamp();
            long gap = now - last;
            last = now;
            long max = Interlocked.Read(ref s_maxGapTicks);
            while (gap > max)
            {
                long seen = Interlocked.CompareExchange(ref s_maxGapTicks, gap, max);
                if (seen == max)
                {
                    break;
                }

                max = seen;
            }
        }
    }

    private static async Task ChurnAsync(int perSecond)
    {
        // Batches every 10 ms: each operation suspends once (Task.Yield) and resumes on the pool.
        int batch = Math.Max(1, perSecond / 100);
        var clock = Stopwatch.StartNew();
        long issued = 0;
        var pending = new Task[batch];
        while (true)
        {
            for (int i = 0; i < batch; i++)
            {
                pending[i] = ShortAsync();
            }

            await Task.WhenAll(pending);
            Interlocked.Add(ref s_churned, batch);
            issued += batch;
            long due = issued * 1000 / perSecond;
            long ahead = due - clock.ElapsedMilliseconds;
            if (ahead > 0)
            {
                await Task.Delay((int)ahead);
            }
        }
    }

    private static async Task ShortAsync()
    {
        await Task.Yield();
    }

    private static async Task OuterAsync()
    {
        await ParkAsync();
    }

    private static async Task ParkAsync()
    {
        await s_gate.Task;
    }

    private static int ReadOption(string[] args, string name, int fallback)
    {
        int at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
