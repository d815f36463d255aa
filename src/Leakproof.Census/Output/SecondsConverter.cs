using System;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Leakproof.Census.Output;

/// <summary>Writes a <see cref="TimeSpan"/> as a number of seconds, the unit of every age in the census schema.</summary>
internal sealed class SecondsConverter : JsonConverter<TimeSpan>
{
    /// <inheritdoc/>
    public override TimeSpan Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        // Rounded to the tick: TimeSpan.FromSeconds(0.043) truncates 429999.99999999994 ticks to 0.0429999 s.
        double ticks = Math.Round(reader.GetDouble() * TimeSpan.TicksPerSecond);
        return double.IsFinite(ticks) && ticks >= TimeSpan.MinValue.Ticks && ticks <= TimeSpan.MaxValue.Ticks
            ? TimeSpan.FromTicks((long)ticks)
            : throw new JsonException($"{reader.GetDouble()} seconds is not a duration.");
    }

    /// <inheritdoc/>
    public override void Write(Utf8JsonWriter writer, TimeSpan value, JsonSerializerOptions options) =>
        writer.WriteNumberValue(Math.Round(value.TotalSeconds, 6));
}
