using Basalt.Collections;

namespace Basalt.Storage.Sqlite;

/// <summary>SQLite's SQL: names, types, value conversion and DDL.</summary>
public sealed partial class SqliteDialect : ISqlDialect
{
    public string Name => "sqlite";

    public string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    public object ToDbParameterValue(object? value) => value ?? DBNull.Value;

    public object? FromDbValue(Field field, object? dbValue) => dbValue is DBNull ? null : dbValue;
}
