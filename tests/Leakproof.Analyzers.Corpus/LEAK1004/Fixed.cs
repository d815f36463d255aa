namespace Corpus.Leak1004.Fixed;

public sealed class MeterRegistry : IDisposable
{
    private readonly Timer _tick;

    public MeterRegistry(TimeProvider timeProvider)
    {
        _tick = new Timer(_ => Flush(), null, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5));
        _ = timeProvider;
    }

    public static void Flush()
    {
    }

    public void Dispose() => _tick.Dispose();
}

public sealed class ConfigCache
{
    private static readonly Lazy<Task> s_refresher = new(() => Task.Run(() => { }));
    private static readonly Dictionary<string, string> s_values = new();

    public static Task EnsureStarted() => s_refresher.Value;

    public static string? Get(string key) => s_values.GetValueOrDefault(key);
}

public static class Telemetry
{
    private static Thread? s_pump;

    public static void Start()
    {
        s_pump = new Thread(() => { }) { IsBackground = true };
        s_pump.Start();
    }
}
