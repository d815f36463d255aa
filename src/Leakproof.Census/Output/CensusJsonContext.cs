using System.Text.Json;
using System.Text.Json.Serialization;

namespace Leakproof.Census.Output;

/// <summary>The source-generated serializer of the census schema (camelCase, enums as strings, ages in seconds).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    UseStringEnumConverter = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    Converters = [typeof(SecondsConverter)])]
[JsonSerializable(typeof(CensusSnapshot))]
internal sealed partial class CensusJsonContext : JsonSerializerContext
{
    /// <summary>The indented context, created on first use: static initializers of partial files run in no fixed order.</summary>
    private static CensusJsonContext? s_indented;

    /// <summary>Gets a context that writes indented JSON.</summary>
    public static CensusJsonContext Indented => s_indented ??= new(new JsonSerializerOptions(Default.Options) { WriteIndented = true });
}
