using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Linq;
using System.Threading.Tasks;
using Leakproof.Tests.TestSupport;
using Microsoft.Extensions.Time.Testing;

namespace Leakproof.Tests.Telemetry;

[Collection(TelemetryCollection.Name)]
public sealed class TaskScopeTelemetryTests
{
    [Fact]
    public async Task Meter_RecordsStartedCompletedByOutcomeActiveAndDuration()
    {
        string scopeName = "metrics-" + Guid.NewGuid().ToString("N");
        var measurements = new ConcurrentQueue<(string Instrument, double Value, Dictionary<string, object?> Tags)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "Leakproof")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Record(i, v, tags));
        listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Record(i, v, tags));
        listener.Start();
        var clock = new FakeTimeProvider();
        var gate = new Gate();

        var scope = TaskScope.Create(new TaskScopeOptions { Name = scopeName, TimeProvider = clock, FailureMode = TaskScopeFailureMode.Supervise });
        scope.Spawn(async _ => await gate.Task);
        scope.Spawn(_ => throw new Boom("x"));
        clock.Advance(TimeSpan.FromSeconds(2));
        gate.Open();
        await Assert.ThrowsAsync<Boom>(scope.WaitAsync);

        var mine = measurements.Where(m => Equals(m.Tags.GetValueOrDefault("leakproof.scope.name"), scopeName)).ToList();
        Assert.Equal(2, mine.Where(m => m.Instrument == "leakproof.scope.child.started").Sum(m => m.Value));
        Assert.Equal(0, mine.Where(m => m.Instrument == "leakproof.scope.child.active").Sum(m => m.Value));
        var completed = mine.Where(m => m.Instrument == "leakproof.scope.child.completed").ToList();
        Assert.Equal(["failure", "success"], completed.Select(m => (string)m.Tags["leakproof.outcome"]!).Order());
        var durations = mine.Where(m => m.Instrument == "leakproof.scope.child.duration").Select(m => m.Value).Order().ToList();
        Assert.Equal([0d, 2d], durations);

        void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var dict = new Dictionary<string, object?>();
            foreach (var tag in tags)
            {
                dict[tag.Key] = tag.Value;
            }

            measurements.Enqueue((instrument.Name, value, dict));
        }
    }

    [Fact]
    public async Task ActivitySource_WhenListened_EmitsScopeSpanWithChildSpans()
    {
        string scopeName = "traced-" + Guid.NewGuid().ToString("N");
        var stopped = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Leakproof",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);

        await TaskScope.RunAsync(
            (scope, _) =>
            {
                scope.Spawn(async _ => await Task.Yield(), name: "child-a");
                return ValueTask.CompletedTask;
            },
            new TaskScopeOptions { Name = scopeName });

        Activity scopeSpan = stopped.Single(a => a.OperationName == "leakproof.scope " + scopeName);
        Activity childSpan = stopped.Single(a => a.OperationName == "leakproof.child child-a" && Equals(a.GetTagItem("leakproof.scope.name"), scopeName));
        Assert.Equal(scopeSpan.SpanId, childSpan.ParentSpanId);
        Assert.Equal("success", childSpan.GetTagItem("leakproof.outcome"));
        Assert.EndsWith("TaskScopeTelemetryTests.cs", (string)childSpan.GetTagItem("code.file.path")!, StringComparison.Ordinal);
        Assert.Equal(ActivityStatusCode.Ok, scopeSpan.Status);
    }
}
