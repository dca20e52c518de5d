using Basalt.Model;
using Basalt.Storage.Schema;

namespace Basalt.Storage;

/// <summary>
/// Everything that differs between databases. This part owns naming, types, value conversion and schema (DDL);
/// <c>ISqlDialect.Query.cs</c> owns the expressions the filter compiler needs. Nothing outside Storage/ knows
/// which database it talks to.
/// </summary>
public partial interface ISqlDialect
{
    /// <summary>"sqlite" or "postgres".</summary>
    string Name { get; }

    /// <summary>Quotes an identifier; names are validated as <c>^\w+$</c> before they get here, quoting is the second guard.</summary>
    string Quote(string identifier);

    /// <summary>
    /// Converts a canonical record value (see <see cref="Model.Record"/>) into a value the driver binds:
    /// <see cref="List{T}"/> of string and <see cref="System.Text.Json.Nodes.JsonNode"/> become JSON (text on SQLite,
    /// a jsonb-typed value on PostgreSQL), so they can be bound straight to a JSON column; null becomes DBNull.
    /// </summary>
    object ToDbParameterValue(object? value);

    /// <summary>
    /// True when a write failed on a constraint (UNIQUE, NOT NULL, CHECK), so the caller answers 400 rather than 500.
    /// The default reads SQLSTATE class 23, which PostgreSQL sets; SQLite's driver overrides it.
    /// </summary>
    bool IsConstraintViolation(System.Data.Common.DbException exception) =>
        exception.SqlState is { } state && state.StartsWith("23", StringComparison.Ordinal);

    /// <summary>
    /// Runs <paramref name="insert"/> (its parameters in the order they appear) once per row of <paramref name="rows"/>,
    /// each row's values bound in that order, through one prepared statement. The default binds through the driver's
    /// parameters; a dialect may bind more cheaply.
    /// </summary>
    async Task InsertRowsAsync(SqlBuilder insert, IReadOnlyList<object?[]> rows, System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = insert.CreateCommand(connection, transaction);
        await command.PrepareAsync(cancellationToken);
        var parameters = command.Parameters;
        foreach (var row in rows)
        {
            // A short row would leave the values of the row before it in the parameters it does not reach.
            if (row.Length != parameters.Count)
            {
                throw new InvalidOperationException($"The insert has {parameters.Count} parameters; a row has {row.Length} values.");
            }

            for (var i = 0; i < row.Length; i++)
            {
                parameters[i].Value = ToDbParameterValue(row[i]);
            }

            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    /// <summary>Converts a value read from a column of <paramref name="field"/> back into its canonical CLR value.</summary>
    object? FromDbValue(Field field, object? dbValue);

    /// <summary>The column type, nullability and default of a column kind, written after the quoted column name.</summary>
    string ColumnDefinition(ColumnKind kind);

    /// <summary>The column type of JSON documents in system tables: TEXT on SQLite, JSONB on PostgreSQL.</summary>
    string JsonColumnType { get; }

    /// <summary>Wraps a placeholder (<c>@p0</c>) holding JSON text so it binds to a JSON column: as is on SQLite, <c>CAST(@p0 AS jsonb)</c> on PostgreSQL.</summary>
    string JsonText(string placeholder);

    /// <summary>An index term that compares <paramref name="quotedColumn"/> case-insensitively (<c>COLLATE NOCASE</c> or <c>lower(col)</c>).</summary>
    string CaseInsensitiveIndexColumn(string quotedColumn);

    /// <summary>A statement that serializes schema upgrades between processes sharing the database, or null when the writer is unique.</summary>
    string? SchemaLockStatement { get; }

    /// <summary>
    /// The definition (after <c>CREATE TABLE t (…, </c>) of the hidden column that records insertion order for
    /// <c>@rowid</c>, or null where the database keeps one itself (SQLite's rowid). Never read into a record.
    /// </summary>
    string? RowIdColumnDefinition { get; }

    /// <summary>
    /// The tables only nodes sharing one database need (the "cluster" system schema step): <c>_rateLimits</c> (rate-limit
    /// windows every node counts in) and <c>_nodes</c> (each node's heartbeat). None on SQLite, which has one process.
    /// </summary>
    IReadOnlyList<string> ClusterTables { get; }

    /// <summary>
    /// The tables that let any node take a realtime subscribe for a client another node holds (a later "cluster" step):
    /// <c>_realtimeClients</c> (which node holds each client, by a hash of its id) and <c>_realtimeSubscribes</c> (a
    /// subscribe on its way to that node). None on SQLite, which has one process.
    /// </summary>
    IReadOnlyList<string> RealtimeClusterTables { get; }

    /// <summary>Statements that give every record table made before <see cref="RowIdColumnDefinition"/> existed that column.</summary>
    IReadOnlyList<string> AddRowIdColumns { get; }

    /// <summary>
    /// The id column of the change log (<c>_changes</c>): an integer that grows with every entry and is never reused,
    /// even after the newest entries were pruned (SQLite's AUTOINCREMENT, PostgreSQL's identity).
    /// </summary>
    string ChangeLogIdColumn { get; }

    /// <summary>
    /// Rows of <c>_counts</c> each kept row count is spread over (1 with a single writer): concurrent writers to one
    /// collection each add to a slot of their own instead of queueing for one row until the other commits.
    /// </summary>
    int RowCountSlots { get; }

    /// <summary>
    /// Appends a statement adding <paramref name="delta"/> to one slot of the kept count of <paramref name="collectionId"/>
    /// (none when it has no rows): a slot no other open transaction holds when there is one, looking from
    /// <paramref name="firstSlot"/> on (below <see cref="RowCountSlots"/>).
    /// </summary>
    void AppendAddToRowCount(SqlBuilder sql, string collectionId, long delta, int firstSlot);

    /// <summary>
    /// A statement that waits for the open writes to <paramref name="quotedTable"/> and holds off new ones until the
    /// transaction ends, so a table can be counted exactly while others write; null when the writer is unique.
    /// </summary>
    string? RowCountLockStatement(string quotedTable);

    /// <summary>An SQL expression converting <paramref name="expression"/> from one column kind to another, never NULL unless the target is json.</summary>
    string ConvertExpression(string expression, ColumnKind from, ColumnKind to);

    /// <summary>The statements that reshape a table as <paramref name="alteration"/> says, keeping its rows.</summary>
    IReadOnlyList<string> AlterTable(TableAlteration alteration);
}
