using System;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Leakproof.Census.Output;

/// <summary>Writes a <see cref="TimeSpan"/> as a number of seconds, the unit of every age in the census schema.</summary>
internal sealed class SecondsConverter : JsonConverter<TimeSpan>
{
    /// <inheritdoc/>
    public override TimeSpan Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        TimeSpan.FromSeconds(reader.GetDouble());

    /// <inheritdoc/>
    public override void Write(Utf8JsonWriter writer, TimeSpan value, JsonSerializerOptions options) =>
        writer.WriteNumberValue(Math.Round(value.TotalSeconds, 6));
}
