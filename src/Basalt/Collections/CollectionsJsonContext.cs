using System.Text.Json.Serialization;

namespace Basalt.Collections;

/// <summary>Source-generated JSON metadata for the fixed shapes the collections code serialises.</summary>
[JsonSerializable(typeof(List<string>))]
internal sealed partial class CollectionsJsonContext : JsonSerializerContext;
