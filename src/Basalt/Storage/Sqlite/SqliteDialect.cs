using Basalt.Model;
using Basalt.Storage.Schema;
using Microsoft.Data.Sqlite;

namespace Basalt.Storage.Sqlite;

/// <summary>SQLite's SQL: names, types, value conversion and DDL.</summary>
public sealed partial class SqliteDialect : ISqlDialect
{
    /// <summary>SQLITE_CONSTRAINT (19); the driver leaves SqlState empty.</summary>
    public bool IsConstraintViolation(System.Data.Common.DbException exception) =>
        exception is SqliteException { SqliteErrorCode: 19 };

    public string Name => "sqlite";

    public string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    public object ToDbParameterValue(object? value) => value switch
    {
        null => DBNull.Value,
        string or bool or double or long or int => value,
        _ => ValueConversion.ToJsonText(value) ?? value,
    };

    public object? FromDbValue(Field field, object? dbValue) => ValueConversion.FromDb(field, dbValue);

    // JSON lives in TEXT columns: a column declared JSON would get NUMERIC affinity and turn the text '12345678901234567890' into a lossy REAL.
    public string ColumnDefinition(ColumnKind kind) => kind switch
    {
        ColumnKind.PrimaryKey => "TEXT PRIMARY KEY NOT NULL",
        ColumnKind.Text => "TEXT NOT NULL DEFAULT ''",
        ColumnKind.Number => "NUMERIC NOT NULL DEFAULT 0",
        ColumnKind.Bool => "BOOLEAN NOT NULL DEFAULT FALSE",
        ColumnKind.JsonArray => "TEXT NOT NULL DEFAULT '[]'",
        ColumnKind.Json => "TEXT NULL DEFAULT NULL",
        ColumnKind.GeoPoint => """TEXT NOT NULL DEFAULT '{"lon":0,"lat":0}'""",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    public string JsonColumnType => "TEXT";

    public string JsonText(string placeholder) => placeholder;

    public string CaseInsensitiveIndexColumn(string quotedColumn) => quotedColumn + " COLLATE NOCASE";

    // The single writer connection already serializes every schema change.
    public string? SchemaLockStatement => null;

    public string? RowIdColumnDefinition => null;

    public string ChangeLogIdColumn => "INTEGER PRIMARY KEY AUTOINCREMENT";

    // One writer at a time: a single row per count never makes a writer wait.
    public int RowCountSlots => 1;

    public void AppendAddToRowCount(SqlBuilder sql, string collectionId, long delta, int firstSlot) =>
        sql.Append("UPDATE ").AppendIdentifier(SystemTables.Counts).Append(" SET \"count\" = \"count\" + ").AppendParameter(delta)
            .Append(" WHERE \"collectionId\" = ").AppendParameter(collectionId);

    public string? RowCountLockStatement(string quotedTable) => null;

    public IReadOnlyList<string> AddRowIdColumns => [];

    public IReadOnlyList<string> ClusterTables => [];

    public IReadOnlyList<string> RealtimeClusterTables => [];
}
