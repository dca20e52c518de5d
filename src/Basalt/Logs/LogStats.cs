namespace Basalt.Logs;

/// <summary>The number of logs in one hour (§11 <c>GET /api/logs/stats</c>); <paramref name="Date"/> is the hour's start.</summary>
public sealed record LogStats(string Date, long Total);
