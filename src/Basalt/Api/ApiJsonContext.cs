using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Basalt.Api;

/// <summary>
/// The JSON contracts of what endpoints hand to ASP.NET's writer, generated at compile time: the host's JSON options
/// resolve them without reflection, which a Native AOT build of the server does not have.
/// </summary>
[JsonSerializable(typeof(JsonObject))]
[JsonSerializable(typeof(JsonArray))]
[JsonSerializable(typeof(JsonNode))]
[JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class ApiJsonContext : JsonSerializerContext;
