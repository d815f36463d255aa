using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics.Metrics;
using System.Linq;

namespace Leakproof.Tests.TestSupport;

/// <summary>Records the measurements of one Leakproof instrument; filter by a tag unique to the test (tests run in parallel).</summary>
public sealed class MeasurementRecorder : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<RecordedMeasurement> _measurements = new();

    public MeasurementRecorder(string instrumentName)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == "Leakproof" && instrument.Name == instrumentName)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, state) =>
        {
            var copy = new Dictionary<string, object?>();
            foreach (KeyValuePair<string, object?> tag in tags)
            {
                copy[tag.Key] = tag.Value;
            }

            _measurements.Enqueue(new RecordedMeasurement(value, copy));
            OnMeasurement?.Invoke(value, copy);
        });
        _listener.Start();
    }

    /// <summary>Gets or sets a hook called synchronously, on the reporting thread, for each measurement.</summary>
    public Action<long, IReadOnlyDictionary<string, object?>>? OnMeasurement { get; set; }

    public IReadOnlyList<RecordedMeasurement> Where(string tagName, string tagValue) =>
        _measurements.Where(m => m.Tags.TryGetValue(tagName, out object? v) && Equals(v, tagValue)).ToList();

    public void Dispose() => _listener.Dispose();
}
