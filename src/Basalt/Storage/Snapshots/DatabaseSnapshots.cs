using Basalt.Storage.Postgres;
using Basalt.Storage.Sqlite;

namespace Basalt.Storage.Snapshots;

/// <summary>Gives the snapshots of a database: a page copy for SQLite, a repeatable-read export for PostgreSQL.</summary>
public static class DatabaseSnapshots
{
    public const string Sqlite = "sqlite";
    public const string Postgres = "postgres";

    public static IDatabaseSnapshots For(IDatabase database) => database switch
    {
        SqliteDatabase sqlite => new SqliteSnapshots(sqlite),
        PostgresDatabase postgres => new PostgresSnapshots(postgres),
        _ => throw new NotSupportedException($"No snapshots for a {database.GetType().Name}."),
    };
}
