namespace Basalt.Tests.Query;

/// <summary>One golden row: a filter, the SQL each dialect must produce, and the bound parameters.</summary>
internal sealed record GoldenCase(
    string Who, string Filter, string Sqlite, string? Postgres, object?[] Parameters, object?[]? PostgresParameters = null);
