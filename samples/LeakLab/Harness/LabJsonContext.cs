using System.Text.Json.Serialization;

namespace LeakLab.Harness;

/// <summary>Source-generated JSON for the <c>--json</c> output.</summary>
[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(List<VariantResult>))]
internal sealed partial class LabJsonContext : JsonSerializerContext;
