using Basalt.Storage.Postgres;
using Basalt.Storage.Sqlite;

namespace Basalt.Storage;

/// <summary>Opens the database <see cref="StorageOptions"/> names: PostgreSQL when <c>Database</c> is set, else SQLite in the data folder.</summary>
public static class DatabaseFactory
{
    public static IDatabase Create(StorageOptions options) =>
        !string.IsNullOrWhiteSpace(options.Database) && options.Database is { } connectionString
            ? new PostgresDatabase(connectionString, options.ReadTimeout)
            : new SqliteDatabase(options);
}
