using System.Text.Json.Nodes;

namespace Basalt.Client.Realtime;

/// <summary>
/// One SSE frame: its event name (the exact subscription string), its <c>id:</c> (a change-log id on servers that
/// resume, the client id otherwise) and its JSON data.
/// </summary>
public sealed record RealtimeMessage(string Event, string? Id, JsonNode? Data);
