using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;

namespace PendingChains;

/// <summary>
/// Parks <c>--chains N</c> async chains of <c>--depth D</c> methods (<c>OuterAsync</c> → <c>RelayAsync</c> × (D − 2) → a leaf), the leaves
/// cycling through a TaskCompletionSource, an infinite Task.Delay, a SemaphoreSlim wait and a Channel read; then
/// abandons <c>--abandoned K</c> async methods (nothing references them), prints <c>ready</c> and waits to be killed.
/// The tests read the <c>// site:</c> markers below to know each await's line: keep one marker per await line.
/// </summary>
public static class Program
{
    private static readonly List<object> s_roots = [];

    private static readonly SemaphoreSlim s_semaphore = new(0);

    private static readonly Channel<int> s_channel = Channel.CreateUnbounded<int>();

    public static int Main(string[] args)
    {
        int chains = ReadOption(args, "--chains", 12);
        int depth = Math.Max(3, ReadOption(args, "--depth", 3));
        int abandoned = ReadOption(args, "--abandoned", 0);

        // The first chains are also held by an array on the large object heap, and a pinned array sits on the pinned
        // object heap: the heap walk and the reachability pass meet every kind of GC segment.
        object[] large = new object[20_000];
        s_roots.Add(large);
        s_roots.Add(GC.AllocateArray<long>(512, pinned: true));
        for (int i = 0; i < chains; i++)
        {
            Task chain = OuterAsync(i % 4, depth - 3);
            s_roots.Add(chain);
            if (i < large.Length)
            {
                large[i] = chain;
            }
        }

        // Collect the setup's garbage, so that the only unreachable pending methods in the heap are the abandoned ones.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        Abandon(abandoned);

        Console.Out.WriteLine("ready");
        Console.Out.Flush();
        using var forever = new ManualResetEventSlim(false);
        forever.Wait(); // Killed by the test or the benchmark; allocates nothing, so no GC clears the abandoned methods.
        return 0;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Abandon(int count)
    {
        for (int i = 0; i < count; i++)
        {
            // The only reference to the source is the method's own awaiter: once this frame returns, nothing reaches it.
            _ = AbandonedAsync(new TaskCompletionSource<int>().Task);
        }
    }

    private static async Task OuterAsync(int leaf, int relays)
    {
        await RelayAsync(leaf, relays); // site: outer
    }

    private static async Task RelayAsync(int leaf, int relays)
    {
        if (relays > 0)
        {
            await RelayAsync(leaf, relays - 1); // site: relay
            return;
        }

        switch (leaf)
        {
            case 0:
                var source = new TaskCompletionSource<int>();
                s_roots.Add(source);
                _ = await ParkOnSourceAsync(source.Task); // site: relay-source
                break;
            case 1:
                await ParkOnDelayAsync(); // site: relay-delay
                break;
            case 2:
                await ParkOnSemaphoreAsync(); // site: relay-semaphore
                break;
            default:
                _ = await ParkOnChannelAsync(); // site: relay-channel
                break;
        }
    }

    private static async Task<int> ParkOnSourceAsync(Task<int> source)
    {
        return await source; // site: source
    }

    private static async Task ParkOnDelayAsync()
    {
        await Task.Delay(Timeout.Infinite); // site: delay
    }

    private static async Task ParkOnSemaphoreAsync()
    {
        await s_semaphore.WaitAsync(); // site: semaphore
    }

    private static async Task<int> ParkOnChannelAsync()
    {
        return await s_channel.Reader.ReadAsync(); // site: channel
    }

    private static async Task<int> AbandonedAsync(Task<int> source)
    {
        return await source; // site: abandoned
    }

    private static int ReadOption(string[] args, string name, int fallback)
    {
        int index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length && int.TryParse(args[index + 1], out int value) ? value : fallback;
    }
}
