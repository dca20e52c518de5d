using Basalt.Hosting;
using Basalt.Storage;
using Basalt.Storage.Postgres;
using Basalt.Storage.Sqlite;

namespace Basalt.Tests.Storage;

/// <summary>Which database <see cref="BasaltOptions"/> selects.</summary>
public sealed class DatabaseFactoryTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "basalt-factory-" + Guid.NewGuid().ToString("N")[..10]);

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public async Task No_database_means_SQLite_in_the_data_folder(string? database)
    {
        await using var db = DatabaseFactory.Create(new StorageOptions { DataDir = _dir, Database = database });

        var sqlite = Assert.IsType<SqliteDatabase>(db);
        Assert.Equal("sqlite", db.Dialect.Name);
        Assert.True(File.Exists(sqlite.FilePath));
    }

    [Theory]
    [InlineData("postgres://u:p@127.0.0.1:1/basalt")]
    [InlineData("postgresql://u@127.0.0.1/basalt?sslmode=disable")]
    [InlineData("Host=127.0.0.1;Port=1;Username=u;Database=basalt")]
    public async Task A_postgres_URL_or_connection_string_means_PostgreSQL(string database)
    {
        await using var db = DatabaseFactory.Create(new StorageOptions { DataDir = _dir, Database = database });

        Assert.IsType<PostgresDatabase>(db);
        Assert.Equal("postgres", db.Dialect.Name);
        Assert.False(Directory.Exists(_dir));
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dir, true);
        }
        catch (IOException)
        {
        }
    }
}
