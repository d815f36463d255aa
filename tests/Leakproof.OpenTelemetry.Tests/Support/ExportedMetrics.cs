using System;
using System.Collections.Generic;
using System.Linq;
using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace Leakproof.OpenTelemetry.Tests.Support;

/// <summary>A meter provider that exports to memory, with lookups by instrument name and tag.</summary>
internal sealed class ExportedMetrics : IDisposable
{
    private readonly List<MetricSnapshot> _exported = [];
    private readonly MeterProvider _provider;

    public ExportedMetrics(Action<MeterProviderBuilder> configure)
    {
        MeterProviderBuilder builder = Sdk.CreateMeterProviderBuilder();
        configure(builder);
        _provider = builder.AddInMemoryExporter(_exported).Build()!;
    }

    /// <summary>Exports what was measured so far (cumulative) and returns the snapshots of this export.</summary>
    public IReadOnlyList<MetricSnapshot> Collect()
    {
        _exported.Clear();
        Assert.True(_provider.ForceFlush(), "ForceFlush failed");
        return [.. _exported];
    }

    /// <summary>Gets the names of every exported instrument.</summary>
    public IReadOnlyList<string> Names() => [.. Collect().Select(m => m.Name)];

    /// <summary>Gets the points of an instrument whose tag <paramref name="tag"/> equals <paramref name="value"/>.</summary>
    public static IReadOnlyList<MetricPoint> Points(IReadOnlyList<MetricSnapshot> metrics, string name, string tag, object value)
    {
        MetricSnapshot? metric = metrics.SingleOrDefault(m => m.Name == name);
        Assert.True(metric is not null, $"{name} was not exported; exported: {string.Join(", ", metrics.Select(m => m.Name))}");
        return [.. metric.MetricPoints.Where(p => Tag(p, tag) is { } v && v.Equals(value))];
    }

    /// <summary>Gets a tag of a point, or <see langword="null"/>.</summary>
    public static object? Tag(MetricPoint point, string key)
    {
        foreach (KeyValuePair<string, object?> tag in point.Tags)
        {
            if (tag.Key == key)
            {
                return tag.Value;
            }
        }

        return null;
    }

    public void Dispose() => _provider.Dispose();
}
