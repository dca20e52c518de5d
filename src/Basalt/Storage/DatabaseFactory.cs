using Basalt.Storage.Postgres;
using Basalt.Storage.Sqlite;
using Microsoft.Extensions.Logging;

namespace Basalt.Storage;

/// <summary>Opens the database <see cref="StorageOptions"/> names: PostgreSQL when <c>Database</c> is set, else SQLite in the data folder.</summary>
public static class DatabaseFactory
{
    /// <summary>The log category of the storage layer's messages (opening, migrations, slow or failed commits, closing).</summary>
    public const string LogCategory = "Basalt.Storage";

    public static IDatabase Create(StorageOptions options, ILoggerFactory? loggers = null)
    {
        var logger = loggers?.CreateLogger(LogCategory);
        return !string.IsNullOrWhiteSpace(options.Database) && options.Database is { } connectionString
            ? new PostgresDatabase(connectionString, options.ReadTimeout, logger)
            : new SqliteDatabase(options, logger: logger);
    }

    /// <summary>What the logs say of a database: its kind, where it is (never a password) and its durability mode.</summary>
    public static (string Kind, string Location, string Durability) Describe(IDatabase database) => database switch
    {
        SqliteDatabase sqlite => ("SQLite", sqlite.FilePath, sqlite.DurabilityMode),
        PostgresDatabase postgres => ("PostgreSQL", postgres.Location, PostgresDatabase.DurabilityMode),
        _ => (database.GetType().Name, "", ""),
    };
}
