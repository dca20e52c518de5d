using System.Text.Json.Nodes;

namespace Basalt.Client.Records;

/// <summary>A realtime record event: <see cref="Action"/> is <c>create</c>, <c>update</c> or <c>delete</c> (with the record as it was).</summary>
public sealed record RecordEvent(string Action, JsonObject Record, string? EventId);
