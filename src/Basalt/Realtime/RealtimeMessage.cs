namespace Basalt.Realtime;

/// <summary>One SSE event: its name (the exact subscription string, or a system name) and its JSON data, already encoded.</summary>
public sealed record RealtimeMessage(string Name, string Data);
