using LeakLab.Harness;
using LeakLab.Scenarios.DeltaStream;
using LeakLab.Scenarios.FanOut;
using LeakLab.Scenarios.FireAndForget;
using LeakLab.Scenarios.FirstResponse;
using LeakLab.Scenarios.ForceFlush;
using LeakLab.Scenarios.StaticTicker;
using LeakLab.Scenarios.Timeout;

namespace LeakLab;

/// <summary>The catalogue of incidents, in the order of the source articles.</summary>
public static class Lab
{
    /// <summary>Gets every scenario.</summary>
    public static IReadOnlyList<IScenario> Scenarios { get; } =
    [
        new ForceFlushScenario(),
        new StaticTickerScenario(),
        new DeltaStreamScenario(),
        new FirstResponseScenario(),
        new FireAndForgetScenario(),
        new FanOutScenario(),
        new TimeoutScenario(),
    ];
}
