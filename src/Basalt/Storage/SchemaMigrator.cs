using System.Data.Common;
using System.Text.Json.Nodes;
using Basalt.Errors;
using Basalt.Model;
using Basalt.Storage.Schema;
using Basalt.Storage.Tables;

namespace Basalt.Storage;

/// <summary>
/// Keeps each collection's table (or view) in step with its definition; always runs inside the caller's write, so a
/// failure rolls back with the rest of that write and nothing is left half-migrated. Tables it creates or drops get or
/// lose their row count (<see cref="RowCountStore"/>) unless <paramref name="keepsRowCounts"/> is false (a table outside
/// the collections, <c>_logs</c>, possibly in a database of its own).
/// </summary>
public sealed class SchemaMigrator(IDatabase database, bool keepsRowCounts)
{
    /// <summary>The migrator of the collections' tables, which keeps their row counts.</summary>
    public SchemaMigrator(IDatabase database)
        : this(database, true)
    {
    }

    public ISqlDialect Dialect => database.Dialect;

    /// <summary>Creates the table (base, auth) or view (view) and its indexes.</summary>
    public async Task CreateAsync(DbConnection connection, DbTransaction transaction, Collection collection, CancellationToken cancellationToken)
    {
        if (collection.IsView)
        {
            await CreateViewAsync(connection, transaction, collection, cancellationToken);
            return;
        }

        var indexes = IndexDefinition.ParseAll(collection.Indexes);
        var columns = string.Join(", ", collection.Fields.Select(f => Dialect.Quote(f.Name) + " " + Dialect.ColumnDefinition(ColumnKinds.Of(f))));
        if (Dialect.RowIdColumnDefinition is { } rowId)
        {
            columns += ", " + rowId;
        }

        await ExecuteAsync(connection, transaction, $"CREATE TABLE {Dialect.Quote(collection.Name)} ({columns})", cancellationToken);
        await CreateIndexesAsync(connection, transaction, collection.Name, indexes, cancellationToken);
        if (keepsRowCounts)
        {
            await RowCountStore.TrackAsync(collection, connection, transaction, Dialect, cancellationToken);
        }
    }

    /// <summary>
    /// Moves the table from <paramref name="previous"/> to <paramref name="next"/>: fields matched by id are renamed or
    /// converted, new ones added, missing ones dropped, indexes rebuilt; rows are kept.
    /// </summary>
    public async Task UpdateAsync(DbConnection connection, DbTransaction transaction, Collection previous, Collection next, CancellationToken cancellationToken)
    {
        if (next.IsView || previous.IsView)
        {
            await DropAsync(connection, transaction, previous, cancellationToken);
            await CreateAsync(connection, transaction, next, cancellationToken);
            return;
        }

        var nextIndexes = IndexDefinition.ParseAll(next.Indexes);
        var previousIndexes = previous.Indexes.Select(i => IndexDefinition.TryParse(i, out var d) ? d : null).OfType<IndexDefinition>().ToList();
        var alteration = Plan(previous, next);
        var renamed = !string.Equals(previous.Name, next.Name, StringComparison.Ordinal);
        var indexesChanged = renamed || !alteration.IsEmpty ||
            !previousIndexes.Select(i => i.ToSql(Dialect, previous.Name)).SequenceEqual(nextIndexes.Select(i => i.ToSql(Dialect, previous.Name)));

        if (indexesChanged)
        {
            foreach (var index in previousIndexes)
            {
                await ExecuteAsync(connection, transaction, $"DROP INDEX IF EXISTS {Dialect.Quote(index.Name)}", cancellationToken);
            }
        }

        try
        {
            if (renamed)
            {
                await RenameTableAsync(connection, transaction, previous.Name, next.Name, cancellationToken);
            }

            foreach (var statement in Dialect.AlterTable(alteration))
            {
                await ExecuteAsync(connection, transaction, statement, cancellationToken);
            }
        }
        catch (DbException ex)
        {
            // e.g. PostgreSQL refusing to drop or retype a column a view reads.
            throw ApiError.BadRequest("Failed to update the collection table: " + ex.Message);
        }

        if (indexesChanged)
        {
            await CreateIndexesAsync(connection, transaction, next.Name, nextIndexes, cancellationToken);
        }
    }

    /// <summary>
    /// Builds one index of <paramref name="table"/> from its PocketBase definition; an import builds them one at a time
    /// after the rows are in, which is faster than keeping them up to date row by row.
    /// </summary>
    public Task CreateIndexAsync(DbConnection connection, DbTransaction transaction, string table, string definition, CancellationToken cancellationToken) =>
        IndexDefinition.TryParse(definition, out var index)
            ? ExecuteAsync(connection, transaction, index.ToSql(Dialect, table), cancellationToken)
            : throw new ArgumentException("Not an index definition: " + definition, nameof(definition));

    /// <summary>Whether <paramref name="table"/> exists (it can be read from).</summary>
    public async Task<bool> TableExistsAsync(DbConnection connection, string table, CancellationToken cancellationToken)
    {
        try
        {
            UnitConnections.Sent(connection);
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT COUNT(*) FROM {Dialect.Quote(table)} WHERE 1 = 0";
            await command.ExecuteScalarAsync(cancellationToken);
            return true;
        }
        catch (DbException)
        {
            return false;
        }
    }

    public async Task DropAsync(DbConnection connection, DbTransaction transaction, Collection collection, CancellationToken cancellationToken)
    {
        try
        {
            await ExecuteAsync(
                connection,
                transaction,
                (collection.IsView ? "DROP VIEW IF EXISTS " : "DROP TABLE IF EXISTS ") + Dialect.Quote(collection.Name),
                cancellationToken);
        }
        catch (DbException ex)
        {
            // PostgreSQL refuses to drop a table a view still reads.
            throw ApiError.BadRequest("Failed to delete the collection table: " + ex.Message);
        }

        if (keepsRowCounts && !collection.IsView)
        {
            await RowCountStore.ForgetAsync(collection.Id, connection, transaction, Dialect, cancellationToken);
        }
    }

    /// <summary>The column-level plan from one definition to the next, matching fields by id.</summary>
    internal static TableAlteration Plan(Collection previous, Collection next)
    {
        var columns = new List<ColumnPlan>();
        var kept = new HashSet<string>(StringComparer.Ordinal);
        foreach (var field in next.Fields)
        {
            var old = previous.FindFieldById(field.Id);
            if (old is not null && kept.Add(old.Name))
            {
                columns.Add(new ColumnPlan(field.Name, ColumnKinds.Of(field), old.Name, ColumnKinds.Of(old)));
            }
            else
            {
                columns.Add(new ColumnPlan(field.Name, ColumnKinds.Of(field), null, null));
            }
        }

        var dropped = previous.Fields.Where(f => !kept.Contains(f.Name)).Select(f => f.Name).ToList();
        return new TableAlteration(next.Name, columns, dropped);
    }

    private async Task RenameTableAsync(DbConnection connection, DbTransaction transaction, string from, string to, CancellationToken cancellationToken)
    {
        // SQLite compares table names case-insensitively, so "posts" → "Posts" goes through a temporary name.
        if (string.Equals(from, to, StringComparison.OrdinalIgnoreCase))
        {
            var temporary = "_basalt_tmp_" + to;
            await ExecuteAsync(connection, transaction, $"ALTER TABLE {Dialect.Quote(from)} RENAME TO {Dialect.Quote(temporary)}", cancellationToken);
            from = temporary;
        }

        await ExecuteAsync(connection, transaction, $"ALTER TABLE {Dialect.Quote(from)} RENAME TO {Dialect.Quote(to)}", cancellationToken);
    }

    private async Task CreateViewAsync(DbConnection connection, DbTransaction transaction, Collection collection, CancellationToken cancellationToken)
    {
        var query = collection.ViewQuery?.Trim().TrimEnd(';') ?? "";
        if (query.Length == 0)
        {
            throw ApiError.Field("Failed to create the view.", "viewQuery", "validation_required", "Cannot be blank.");
        }

        try
        {
            await ExecuteAsync(connection, transaction, $"CREATE VIEW {Dialect.Quote(collection.Name)} AS {query}", cancellationToken);

            // SQLite resolves a view's tables and columns only when it is read; reading it once checks it on both databases.
            await ExecuteAsync(connection, transaction, $"SELECT * FROM {Dialect.Quote(collection.Name)} WHERE 1 = 0", cancellationToken);
        }
        catch (DbException ex)
        {
            throw ApiError.Field("Failed to create the view.", "viewQuery", "validation_invalid_view_query", ex.Message);
        }
    }

    private async Task CreateIndexesAsync(DbConnection connection, DbTransaction transaction, string table, IReadOnlyList<IndexDefinition> indexes, CancellationToken cancellationToken)
    {
        for (var i = 0; i < indexes.Count; i++)
        {
            try
            {
                await ExecuteAsync(connection, transaction, indexes[i].ToSql(Dialect, table), cancellationToken);
            }
            catch (DbException ex)
            {
                // Existing rows that break a new UNIQUE index, an unknown column, a clashing index name.
                var error = new JsonObject
                {
                    [i.ToString(System.Globalization.CultureInfo.InvariantCulture)] =
                        ValidationErrors.Leaf(IndexDefinition.InvalidCode, "Failed to create index: " + ex.Message, null),
                };
                throw ApiError.BadRequest("Failed to apply the collection indexes.", new JsonObject { ["indexes"] = error });
            }
        }
    }

    private static async Task ExecuteAsync(DbConnection connection, DbTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        UnitConnections.Sent(connection);
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
