using System.Data.Common;
using System.Globalization;

namespace Basalt.Storage;

/// <summary>
/// Queries on Basalt's own tables (<c>_collections</c>, <c>_params</c>). Call them inside your own
/// <see cref="IDatabase.ReadAsync{T}"/> or <see cref="IDatabase.WriteAsync{T}"/> unit, passing its connection and
/// transaction, so a collection row and its table migration commit or roll back together:
/// <code>
/// await db.WriteAsync(async (c, tx, ct) => {
///     await SystemTables.InsertCollectionAsync(c, tx, db.Dialect, row, ct);
///     await migrator.CreateAsync(c, tx, collection, ct);
///     return 0; }, ct);
/// </code>
/// </summary>
public static class SystemTables
{
    public const string Collections = "_collections";
    public const string Params = "_params";
    public const string Migrations = "_migrations";

    /// <summary>The change log: one row per committed record write (see <see cref="Tables.ChangeLogStore"/>).</summary>
    public const string Changes = "_changes";

    /// <summary>The row count of each collection table (see <see cref="Tables.RowCountStore"/>).</summary>
    public const string Counts = "_counts";

    /// <summary>The migration files (of the migrations folder) applied to this database: file name, checksum, when.</summary>
    public const string AppliedMigrations = "_appliedMigrations";

    /// <summary>Tables no collection may be named after.</summary>
    public static readonly IReadOnlyList<string> Reserved = [Collections, Params, Migrations, Changes, Counts, AppliedMigrations];

    private const string CollectionColumns =
        "\"id\", \"system\", \"type\", \"name\", \"fields\", \"indexes\", \"listRule\", \"viewRule\", \"createRule\", " +
        "\"updateRule\", \"deleteRule\", \"viewQuery\", \"options\", \"created\", \"updated\"";

    /// <summary>
    /// Every collection row, oldest first (by created, then id), so system collections come first.
    /// </summary>
    public static async Task<IReadOnlyList<CollectionRow>> LoadCollectionsAsync(DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken)
    {
        UnitConnections.Sent(connection);
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"SELECT {CollectionColumns} FROM \"_collections\" ORDER BY \"created\", \"id\"";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<CollectionRow>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new CollectionRow
            {
                Id = reader.GetString(0),
                System = Convert.ToBoolean(reader.GetValue(1), CultureInfo.InvariantCulture),
                Type = reader.GetString(2),
                Name = reader.GetString(3),
                Fields = reader.GetString(4),
                Indexes = reader.GetString(5),
                ListRule = NullableText(reader, 6),
                ViewRule = NullableText(reader, 7),
                CreateRule = NullableText(reader, 8),
                UpdateRule = NullableText(reader, 9),
                DeleteRule = NullableText(reader, 10),
                ViewQuery = NullableText(reader, 11),
                Options = reader.GetString(12),
                Created = reader.GetString(13),
                Updated = reader.GetString(14),
            });
        }

        return rows;
    }

    public static Task InsertCollectionAsync(DbConnection connection, DbTransaction transaction, ISqlDialect dialect, CollectionRow row, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(
            "INSERT INTO \"_collections\" (\"id\", \"system\", \"type\", \"name\", \"fields\", \"indexes\", \"listRule\", \"viewRule\", " +
            "\"createRule\", \"updateRule\", \"deleteRule\", \"viewQuery\", \"options\", \"created\", \"updated\") VALUES " +
            $"(@Id, @System, @Type, @Name, {dialect.JsonText("@Fields")}, {dialect.JsonText("@Indexes")}, @ListRule, @ViewRule, " +
            $"@CreateRule, @UpdateRule, @DeleteRule, @ViewQuery, {dialect.JsonText("@Options")}, @Created, @Updated)",
            transaction,
            cancellationToken,
            Parameters(row));

    /// <summary>Overwrites the row with <see cref="CollectionRow.Id"/>; returns false when no such row exists.</summary>
    public static async Task<bool> UpdateCollectionAsync(DbConnection connection, DbTransaction transaction, ISqlDialect dialect, CollectionRow row, CancellationToken cancellationToken) =>
        await connection.ExecuteAsync(
            "UPDATE \"_collections\" SET \"system\" = @System, \"type\" = @Type, \"name\" = @Name, " +
            $"\"fields\" = {dialect.JsonText("@Fields")}, \"indexes\" = {dialect.JsonText("@Indexes")}, \"listRule\" = @ListRule, " +
            "\"viewRule\" = @ViewRule, \"createRule\" = @CreateRule, \"updateRule\" = @UpdateRule, \"deleteRule\" = @DeleteRule, " +
            $"\"viewQuery\" = @ViewQuery, \"options\" = {dialect.JsonText("@Options")}, \"created\" = @Created, \"updated\" = @Updated " +
            "WHERE \"id\" = @Id",
            transaction,
            cancellationToken,
            Parameters(row)) > 0;

    private static (string Name, object? Value)[] Parameters(CollectionRow row) =>
    [
        ("Id", row.Id), ("System", row.System), ("Type", row.Type), ("Name", row.Name), ("Fields", row.Fields), ("Indexes", row.Indexes),
        ("ListRule", row.ListRule), ("ViewRule", row.ViewRule), ("CreateRule", row.CreateRule), ("UpdateRule", row.UpdateRule),
        ("DeleteRule", row.DeleteRule), ("ViewQuery", row.ViewQuery), ("Options", row.Options), ("Created", row.Created), ("Updated", row.Updated),
    ];

    public static async Task<bool> DeleteCollectionAsync(DbConnection connection, DbTransaction transaction, string id, CancellationToken cancellationToken) =>
        await connection.ExecuteAsync("DELETE FROM \"_collections\" WHERE \"id\" = @id", transaction, cancellationToken, ("id", id)) > 0;

    /// <summary>The JSON text stored under <paramref name="id"/> in <c>_params</c>, or null.</summary>
    public static async Task<string?> GetParamAsync(DbConnection connection, DbTransaction? transaction, string id, CancellationToken cancellationToken) =>
        await connection.ScalarAsync("SELECT CAST(\"value\" AS TEXT) FROM \"_params\" WHERE \"id\" = @id", transaction, cancellationToken, ("id", id)) as string;

    /// <summary>Inserts or replaces the JSON text stored under <paramref name="id"/>; <paramref name="now"/> is the wire-format date.</summary>
    public static Task SetParamAsync(DbConnection connection, DbTransaction transaction, ISqlDialect dialect, string id, string valueJson, string now, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(
            "INSERT INTO \"_params\" (\"id\", \"value\", \"created\", \"updated\") " +
            $"VALUES (@id, {dialect.JsonText("@valueJson")}, @now, @now) " +
            "ON CONFLICT (\"id\") DO UPDATE SET \"value\" = excluded.\"value\", \"updated\" = excluded.\"updated\"",
            transaction,
            cancellationToken,
            ("id", id), ("valueJson", valueJson), ("now", now));

    private static string? NullableText(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}
