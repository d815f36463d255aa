namespace LeakLab.Scenarios.StaticTicker;

/// <summary>
/// go-ethereum's metrics/meter.go in C#: touching the type starts a ticker loop from its static constructor.
/// No owner exists, so nothing can ever stop it; every process (and test run) that touches the type carries it.
/// </summary>
internal static class LeakyMeterRegistry
{
    private static int s_loopsRunning;
    private static long s_ticks;

    static LeakyMeterRegistry()
    {
        Interlocked.Increment(ref s_loopsRunning);
        _ = Task.Run(async () =>
        {
            while (true)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(20)); // LEAK-SITE
                Interlocked.Increment(ref s_ticks); // decay the meters' rates
            }
        });
    }

    public static int LoopsRunning => Volatile.Read(ref s_loopsRunning);

    public static void Mark(string meter) => Interlocked.Increment(ref s_ticks);
}
