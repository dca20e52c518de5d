using System.Data.Common;
using System.Text.Json.Nodes;
using Basalt.Model;
using Basalt.Storage;
using Basalt.Storage.Postgres;
using Basalt.Storage.Schema;
using Basalt.Storage.Sqlite;
using Basalt.Tests.Fixtures;
using Record = Basalt.Model.Record;

namespace Basalt.Tests.Storage;

/// <summary>A fresh database of one kind for storage tests, with small helpers to write and read rows through the dialect.</summary>
public sealed class StorageTestDatabase : IAsyncDisposable
{
    private StorageTestDatabase(IDatabase database, string dataDir)
    {
        Database = database;
        DataDir = dataDir;
        Migrator = new SchemaMigrator(database);
    }

    public IDatabase Database { get; }

    public SchemaMigrator Migrator { get; }

    public string DataDir { get; }

    public ISqlDialect Dialect => Database.Dialect;

    public static async Task<StorageTestDatabase> CreateAsync(StorageKind kind, Durability durability = Durability.Full)
    {
        var dir = Path.Combine(Path.GetTempPath(), "basalt-storage-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(dir);
        IDatabase database = kind == StorageKind.Postgres
            ? new PostgresDatabase(await PostgresCluster.CreateDatabaseAsync())
            : new SqliteDatabase(new StorageOptions { DataDir = dir, Durability = durability });
        await database.InitializeAsync(CancellationToken.None);
        return new StorageTestDatabase(database, dir);
    }

    public static Field NewField(string name, string type, JsonObject? options = null) =>
        new() { Id = "f_" + name + "_" + Guid.NewGuid().ToString("N")[..6], Name = name, Type = type, Options = options ?? [] };

    public static Collection NewCollection(string name, params Field[] fields) => new()
    {
        Id = "pbc_" + name,
        Name = name,
        Fields = [new Field { Id = "text3208210256", Name = "id", Type = FieldType.Text, System = true, Options = new JsonObject { ["primaryKey"] = true } }, .. fields],
    };

    public Task WriteAsync(Func<DbConnection, DbTransaction, CancellationToken, Task> work) =>
        Database.WriteAsync(
            async (c, tx, ct) =>
            {
                await work(c, tx, ct);
                return 0;
            },
            CancellationToken.None);

    public Task CreateAsync(Collection collection) =>
        WriteAsync((c, tx, ct) => Migrator.CreateAsync(c, tx, collection, ct));

    public Task UpdateAsync(Collection previous, Collection next) =>
        WriteAsync((c, tx, ct) => Migrator.UpdateAsync(c, tx, previous, next, ct));

    public Task InsertAsync(Collection collection, Dictionary<string, object?> values) =>
        WriteAsync(async (c, tx, ct) =>
        {
            var sql = new SqlBuilder(Dialect);
            sql.Append("INSERT INTO ").AppendIdentifier(collection.Name).Append(" (");
            sql.Append(string.Join(", ", values.Keys.Select(Dialect.Quote))).Append(") VALUES (");
            var first = true;
            foreach (var value in values.Values)
            {
                sql.Append(first ? "" : ", ").AppendParameter(value);
                first = false;
            }

            sql.Append(')');
            await using var command = sql.CreateCommand(c, tx);
            await command.ExecuteNonQueryAsync(ct);
        });

    /// <summary>Every row as canonical values, ordered by id.</summary>
    public Task<List<Record>> ReadAllAsync(Collection collection) =>
        Database.ReadAsync(
            async (c, ct) =>
            {
                await using var command = c.CreateCommand();
                command.CommandText = $"SELECT * FROM {Dialect.Quote(collection.Name)} ORDER BY {Dialect.Quote("id")}";
                await using var reader = await command.ExecuteReaderAsync(ct);
                var rows = new List<Record>();
                while (await reader.ReadAsync(ct))
                {
                    var record = new Record(collection);
                    foreach (var field in collection.Fields)
                    {
                        record.Set(field.Name, Dialect.FromDbValue(ColumnKinds.Of(field), reader.GetValue(reader.GetOrdinal(field.Name))));
                    }

                    rows.Add(record);
                }

                return rows;
            },
            CancellationToken.None);

    /// <summary>The column names of a table or view, in order, without PostgreSQL's hidden <c>_rowid_</c> (it backs <c>@rowid</c>, not a field).</summary>
    public Task<List<string>> ColumnsAsync(string table) =>
        Database.ReadAsync(
            async (c, ct) =>
            {
                await using var command = c.CreateCommand();
                command.CommandText = $"SELECT * FROM {Dialect.Quote(table)} WHERE 1 = 0";
                await using var reader = await command.ExecuteReaderAsync(ct);
                return Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).Where(n => n != "_rowid_").ToList();
            },
            CancellationToken.None);

    public async ValueTask DisposeAsync()
    {
        await Database.DisposeAsync();
        try
        {
            Directory.Delete(DataDir, true);
        }
        catch (IOException)
        {
        }
    }
}
