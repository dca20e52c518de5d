using System.Text.Json.Nodes;

namespace Basalt.Logs;

/// <summary>
/// One row of <c>_logs</c> (§11 <c>GET /api/logs</c>): <paramref name="Level"/> follows Go's slog (-4 debug, 0 info,
/// 4 warn, 8 error) as PocketBase's does, and a request's details are the JSON object <paramref name="Data"/>, kept as
/// its text: an entry waits in the writer's queue as a handful of strings rather than a tree of nodes for the garbage
/// collector to trace and promote, and it is parsed only when a superuser reads it.
/// </summary>
public sealed record LogEntry(string Id, string Created, int Level, string Message, string Data)
{
    public const int Debug = -4;
    public const int Info = 0;
    public const int Warn = 4;
    public const int Error = 8;

    public JsonObject ToJson() => new()
    {
        ["id"] = Id,
        ["created"] = Created,
        ["level"] = Level,
        ["message"] = Message,
        ["data"] = JsonNode.Parse(Data) as JsonObject ?? [],
    };
}
