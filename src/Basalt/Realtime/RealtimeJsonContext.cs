using System.Text.Json.Serialization;

namespace Basalt.Realtime;

/// <summary>Source-generated JSON for the fixed-shape realtime payloads.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(ResetData))]
[JsonSerializable(typeof(RealtimePublication))]
[JsonSerializable(typeof(List<string>))]
internal sealed partial class RealtimeJsonContext : JsonSerializerContext;
