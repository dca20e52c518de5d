using System.Text.Json.Serialization;

namespace Basalt.Storage.Postgres;

/// <summary>What a PostgreSQL snapshot records of Basalt's tables and views, to recreate them (its <c>schema.json</c>).</summary>
internal sealed record PostgresSnapshotSchema(int SchemaVersion, List<PostgresSnapshotTable> Tables, List<PostgresSnapshotView> Views);

/// <summary>A table: its columns, constraints and indexes, and the part holding its rows (binary COPY format).</summary>
internal sealed record PostgresSnapshotTable(string Name, string Part, List<PostgresSnapshotColumn> Columns, List<PostgresSnapshotConstraint> Constraints, List<string> Indexes);

/// <param name="Identity">PostgreSQL's <c>attidentity</c>: <c>a</c> (always), <c>d</c> (by default) or empty.</param>
internal sealed record PostgresSnapshotColumn(string Name, string Type, bool NotNull, string? Default, string Identity);

internal sealed record PostgresSnapshotConstraint(string Name, string Definition);

internal sealed record PostgresSnapshotView(string Name, string Definition);

[JsonSerializable(typeof(PostgresSnapshotSchema))]
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
internal sealed partial class PostgresSnapshotJson : JsonSerializerContext;
