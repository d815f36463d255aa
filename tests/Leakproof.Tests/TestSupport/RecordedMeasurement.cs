using System.Collections.Generic;

namespace Leakproof.Tests.TestSupport;

/// <summary>One recorded measurement and its tags.</summary>
public sealed record RecordedMeasurement(long Value, IReadOnlyDictionary<string, object?> Tags)
{
    public object? Tag(string name) => Tags.TryGetValue(name, out object? value) ? value : null;
}
