namespace Basalt.Realtime;

/// <summary>How long an SSE connection may stay without a message sent, and how long it may live at all.</summary>
public sealed record RealtimeTimeouts(TimeSpan Idle, TimeSpan MaxLifetime);
