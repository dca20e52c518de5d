using Basalt.Collections;

namespace Basalt.Storage.Postgres;

/// <summary>PostgreSQL's SQL: names, types, value conversion and DDL.</summary>
public sealed partial class PostgresDialect : ISqlDialect
{
    public string Name => "postgres";

    public string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    public object ToDbParameterValue(object? value) => value ?? DBNull.Value;

    public object? FromDbValue(Field field, object? dbValue) => dbValue is DBNull ? null : dbValue;
}
