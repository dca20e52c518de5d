namespace Basalt.Realtime;

/// <summary>The data of a <see cref="RealtimeTopics.Reset"/> frame: the id the client asked to resume after.</summary>
public sealed record ResetData(string LastEventId);
