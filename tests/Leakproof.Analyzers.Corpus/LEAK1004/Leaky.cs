using System.Runtime.CompilerServices;

namespace Corpus.Leak1004.Leaky;

public static class MeterRegistry
{
    private static readonly Timer s_tick = new(_ => Flush(), null, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5)); // LEAK: LEAK1004

    public static void Flush()
    {
    }

    public static Timer Tick => s_tick;
}

public sealed class ConfigCache
{
    private static readonly Dictionary<string, string> s_values = new();

    static ConfigCache()
    {
        _ = Task.Run(async () => // LEAK: LEAK1004
        {
            while (true)
            {
                await Task.Delay(TimeSpan.FromMinutes(1));
                s_values.Clear();
            }
        });
    }

    public static string? Get(string key) => s_values.GetValueOrDefault(key);
}

public static class Telemetry
{
    private static readonly Thread s_pump = new(() => { }) { IsBackground = true };

    [ModuleInitializer]
    internal static void Start()
    {
        s_pump.Start(); // LEAK: LEAK1004
        ThreadPool.QueueUserWorkItem(_ => Console.WriteLine("warm-up")); // LEAK: LEAK1004
    }
}

public static class Heartbeat
{
    private static readonly ITimer s_timer = TimeProvider.System.CreateTimer(_ => { }, null, TimeSpan.Zero, TimeSpan.FromSeconds(30)); // LEAK: LEAK1004

    public static ITimer Timer => s_timer;
}
