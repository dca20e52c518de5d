using System.Text.Json.Nodes;

namespace Basalt.Client.Admin;

/// <summary>What an SQL console statement returned: column names, rows (one JSON array of values each), whether rows were left out, and the server's time.</summary>
public sealed record SqlResult(IReadOnlyList<string> Columns, IReadOnlyList<JsonArray> Rows, bool Truncated, double DurationMs);
