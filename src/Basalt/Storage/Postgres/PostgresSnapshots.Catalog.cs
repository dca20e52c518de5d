using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Basalt.Storage.Snapshots;
using Npgsql;

namespace Basalt.Storage.Postgres;

/// <summary>Reading the definitions of Basalt's tables from the catalog, and checking a snapshot's before it is run.</summary>
internal sealed partial class PostgresSnapshots
{
    /// <summary>The tables (with their size in pages, to weigh progress) and the views of the current schema, oldest first.</summary>
    private static async Task<(List<(PostgresSnapshotTable Table, long Pages)> Tables, List<PostgresSnapshotView> Views)> ReadCatalogAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        var relations = new List<(uint Oid, string Name, bool View, long Pages)>();
        string schemaName;
        await using (var command = new NpgsqlCommand("SELECT current_schema()", connection, transaction))
        {
            schemaName = (string)(await command.ExecuteScalarAsync(cancellationToken))!; // current_schema() is set on every connection
        }

        await using (var command = new NpgsqlCommand(
            "SELECT c.oid, c.relname, c.relkind = 'v', c.relpages::bigint FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace " +
            "WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p', 'v') ORDER BY c.oid",
            connection,
            transaction))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                relations.Add((reader.GetFieldValue<uint>(0), reader.GetString(1), reader.GetBoolean(2), reader.GetInt64(3)));
            }
        }

        var tables = new List<(PostgresSnapshotTable, long)>();
        var views = new List<PostgresSnapshotView>();
        foreach (var (oid, name, view, pages) in relations.Where(r => !Excluded.Contains(r.Name, StringComparer.Ordinal)))
        {
            if (view)
            {
                var definition = await ScalarAsync(connection, transaction, "SELECT pg_get_viewdef(@oid, true)", oid, cancellationToken);
                views.Add(new PostgresSnapshotView(name, definition.Trim().TrimEnd(';')));
                continue;
            }

            var columns = await ReadAsync(
                connection,
                transaction,
                "SELECT a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull, pg_get_expr(d.adbin, d.adrelid), a.attidentity::text " +
                "FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum " +
                "WHERE a.attrelid = @oid AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum",
                oid,
                r => new PostgresSnapshotColumn(r.GetString(0), r.GetString(1), r.GetBoolean(2), r.IsDBNull(3) ? null : r.GetString(3), r.GetString(4)),
                cancellationToken);
            var constraints = await ReadAsync(
                connection,
                transaction,
                "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = @oid AND contype IN ('p', 'u', 'c') ORDER BY oid",
                oid,
                r => new PostgresSnapshotConstraint(r.GetString(0), r.GetString(1)),
                cancellationToken);

            // Indexes that back a constraint come back with it; the rest are restored as they were, minus the schema
            // name, so they land in the schema the restore runs in.
            var indexes = await ReadAsync(
                connection,
                transaction,
                "SELECT pg_get_indexdef(i.indexrelid) FROM pg_index i WHERE i.indrelid = @oid " +
                "AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid AND k.conrelid = @oid) ORDER BY i.indexrelid",
                oid,
                r => Unqualify(r.GetString(0), schemaName),
                cancellationToken);
            var part = "tables/" + tables.Count.ToString("D4", CultureInfo.InvariantCulture) + ".bin";
            tables.Add((new PostgresSnapshotTable(name, part, columns, constraints, indexes), pages));
        }

        return (tables, views);
    }

    /// <summary>
    /// Reads and checks <c>schema.json</c>. Its definitions become DDL, so each must have the shape the catalog gives
    /// (a type name, a literal default, a key or unique constraint, an index definition, a view's query) and none may hold
    /// a second statement: a crafted archive must not run SQL of its choosing through a restore. Basalt writes no CHECK
    /// constraint and only literal defaults, and both are evaluated with the restoring role's rights (a CHECK at once, over
    /// every restored row), so anything else is refused; a view is refused if it calls a function that reaches outside
    /// the database (the functions the collection API refuses in view queries).
    /// </summary>
    private async Task<PostgresSnapshotSchema> ReadSchemaAsync(ISnapshotSource source, CancellationToken cancellationToken)
    {
        if (!source.Contains(SchemaPart))
        {
            throw new SnapshotRefusedException("The backup holds no PostgreSQL export.");
        }

        PostgresSnapshotSchema? schema;
        try
        {
            await using var stream = await source.OpenAsync(SchemaPart, cancellationToken);
            schema = await JsonSerializer.DeserializeAsync(stream, PostgresSnapshotJson.Default.PostgresSnapshotSchema, cancellationToken);
        }
        catch (JsonException e)
        {
            throw new SnapshotRefusedException("The backup's PostgreSQL schema is not valid JSON.", e);
        }

        if (schema?.Tables is null || schema.Views is null)
        {
            throw new SnapshotRefusedException("The backup's PostgreSQL schema is incomplete.");
        }

        var latest = SystemSchemaInitializer.LatestVersion(database.Dialect);
        if (schema.SchemaVersion > latest)
        {
            throw new SnapshotRefusedException(
                $"The backup's database is at schema version {schema.SchemaVersion}, made by a newer Basalt; this one reads up to version {latest}. Upgrade Basalt first.");
        }

        if (schema.SchemaVersion < 1 || !schema.Tables.Any(t => t.Name == SystemTables.Migrations))
        {
            throw new SnapshotRefusedException("The backup's database has no Basalt system tables.");
        }

        foreach (var table in schema.Tables)
        {
            Check(table.Name is { Length: > 0 } && !Excluded.Contains(table.Name, StringComparer.Ordinal) && source.Contains(table.Part ?? ""), "table", table.Name);
            Check(table.Columns is { Count: > 0 } && table.Constraints is not null && table.Indexes is not null, "table", table.Name);
            foreach (var column in table.Columns!)
            {
                Check(column.Name is { Length: > 0 } && TypeName().IsMatch(column.Type ?? "") && column.Identity is "" or "a" or "d" && (column.Default is null || LiteralDefault().IsMatch(column.Default)), "column", column.Name);
            }

            foreach (var constraint in table.Constraints!)
            {
                Check(constraint.Name is { Length: > 0 } && ConstraintDefinition().IsMatch(constraint.Definition ?? "") && SingleStatement(constraint.Definition), "constraint", constraint.Name);
            }

            foreach (var index in table.Indexes!)
            {
                Check(IndexDefinition().IsMatch(index ?? "") && SingleStatement(index), "index", index);
            }
        }

        foreach (var view in schema.Views)
        {
            Check(view.Name is { Length: > 0 } && ViewDefinition().IsMatch(view.Definition ?? "") && SingleStatement(view.Definition) && !ReachingFunction().IsMatch(view.Definition!), "view", view.Name);
        }

        return schema;
    }

    private static void Check(bool valid, string what, string? name)
    {
        if (!valid)
        {
            throw new SnapshotRefusedException($"The backup's PostgreSQL schema has an invalid {what} definition ({name}).");
        }
    }

    private static bool SingleStatement(string? sql) => sql is null || !sql.Contains(';', StringComparison.Ordinal);

    private static string Unqualify(string indexDefinition, string schemaName)
    {
        foreach (var prefix in new[] { " ON " + schemaName + ".", " ON " + Quote(schemaName) + "." })
        {
            var at = indexDefinition.IndexOf(prefix, StringComparison.Ordinal);
            if (at >= 0)
            {
                return indexDefinition[..at] + " ON " + indexDefinition[(at + prefix.Length)..];
            }
        }

        return indexDefinition;
    }

    private static async Task<string> ScalarAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, uint oid, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter("oid", NpgsqlTypes.NpgsqlDbType.Oid) { Value = oid });
        return (string)(await command.ExecuteScalarAsync(cancellationToken))!; // the definition of a relation that exists in this snapshot
    }

    private static async Task<List<T>> ReadAsync<T>(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, uint oid, Func<NpgsqlDataReader, T> map, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter("oid", NpgsqlTypes.NpgsqlDbType.Oid) { Value = oid });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<T>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(map(reader));
        }

        return rows;
    }

    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9_ ]*(\(\d+(,\d+)?\))?( with(out)? time zone)?(\[\])*$")]
    private static partial Regex TypeName();

    [GeneratedRegex(@"^(PRIMARY KEY|UNIQUE( NULLS NOT DISTINCT)?) \([^;()]*\)$", RegexOptions.None)]
    private static partial Regex ConstraintDefinition();

    [GeneratedRegex(@"^CREATE (UNIQUE )?INDEX ", RegexOptions.None)]
    private static partial Regex IndexDefinition();

    [GeneratedRegex(@"^\s*(SELECT|WITH)\s", RegexOptions.IgnoreCase)]
    private static partial Regex ViewDefinition();

    /// <summary>A default as <c>pg_get_expr</c> prints a literal: a number, a boolean, NULL, or a string with an optional cast.</summary>
    [GeneratedRegex(@"^\(?(NULL|true|false|-?[0-9]+(\.[0-9]+)?|'([^']|'')*')\)?(::[a-z ]+(\[\])?)?$", RegexOptions.IgnoreCase)]
    private static partial Regex LiteralDefault();

    /// <summary>Functions that read or write outside the database or its settings, quoted or not.</summary>
    [GeneratedRegex(@"\b(pg_\w+|lo_\w+|dblink\w*|set_config|current_setting|query_to_xml\w*|table_to_xml\w*|cursor_to_xml|nextval|setval)\b", RegexOptions.IgnoreCase)]
    private static partial Regex ReachingFunction();
}
