using System.Globalization;
using System.Text.Json;
using Basalt.Common;
using Basalt.Model;
using Basalt.Storage.Schema;

namespace Basalt.Storage.Postgres;

/// <summary>PostgreSQL's SQL: names, types, value conversion and DDL.</summary>
public sealed partial class PostgresDialect : ISqlDialect
{
    /// <summary>The hidden insertion-order column; <c>_rowid_</c> is a name no field may take (§2.5).</summary>
    private const string RowIdColumn = "_rowid_";

    public string Name => "postgres";

    public string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    // Npgsql binds a JsonElement as jsonb, so JSON values go straight into jsonb columns without a cast in the SQL.
    // PostgreSQL text and jsonb refuse NUL (and UTF-8 cannot carry a lone surrogate): both become U+FFFD, as the
    // request body reader already makes them, so a filter value or a record written by the engine cannot fail here.
    public object ToDbParameterValue(object? value) => value switch
    {
        null => DBNull.Value,
        string s => JsonEscapes.Clean(s),
        bool or double or long or int => value,
        _ => ValueConversion.ToJsonText(value) is { } json ? JsonDocument.Parse(JsonEscapes.Sanitize(json)).RootElement.Clone() : value,
    };

    public object? FromDbValue(Field field, object? dbValue) => ValueConversion.FromDb(field, dbValue);

    public string ColumnDefinition(ColumnKind kind) => kind switch
    {
        ColumnKind.PrimaryKey => "TEXT PRIMARY KEY NOT NULL",
        ColumnKind.Text => "TEXT NOT NULL DEFAULT ''",
        ColumnKind.Number => "DOUBLE PRECISION NOT NULL DEFAULT 0",
        ColumnKind.Bool => "BOOLEAN NOT NULL DEFAULT FALSE",
        ColumnKind.JsonArray => "JSONB NOT NULL DEFAULT '[]'",
        ColumnKind.Json => "JSONB NULL",
        ColumnKind.GeoPoint => """JSONB NOT NULL DEFAULT '{"lon":0,"lat":0}'""",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    public string JsonColumnType => "JSONB";

    public string JsonText(string placeholder) => $"CAST({placeholder} AS jsonb)";

    public string CaseInsensitiveIndexColumn(string quotedColumn) => $"lower({quotedColumn})";

    // Several Basalt processes may share one PostgreSQL; the first to start upgrades the schema, the others wait.
    public string? SchemaLockStatement => "SELECT pg_advisory_xact_lock(7283401)";

    public string ChangeLogIdColumn => "bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY";

    // More than the write pool's connections (a quarter of 100 by default), so one node's writers seldom find every slot taken.
    public int RowCountSlots => 32;

    // A slot row stays locked from the update to the commit, through the WAL flush: one row per count would let one
    // writer of a collection commit at a time. SKIP LOCKED takes the first slot no open transaction holds, looking from
    // the writer's own first slot up, then below it (the second scan runs only when the first finds none); only when
    // all are held does the writer queue, behind the slot its connection's process id picks.
    public void AppendAddToRowCount(SqlBuilder sql, string collectionId, long delta, int firstSlot)
    {
        sql.Append("WITH \"up\" AS (");
        AppendFreeSlot(sql, collectionId, ">=", firstSlot);
        sql.Append("), \"down\" AS (");
        AppendFreeSlot(sql, collectionId, "<", firstSlot);
        sql.Append(") UPDATE ").AppendIdentifier(SystemTables.Counts).Append(" SET \"count\" = \"count\" + ").AppendParameter(delta)
            .Append(" WHERE \"collectionId\" = ").AppendParameter(collectionId)
            .Append(" AND \"slot\" = COALESCE((SELECT \"slot\" FROM \"up\"), (SELECT \"slot\" FROM \"down\"), pg_backend_pid() % ")
            .Append(RowCountSlots.ToString(CultureInfo.InvariantCulture)).Append(')');
    }

    private static void AppendFreeSlot(SqlBuilder sql, string collectionId, string comparison, int firstSlot) =>
        sql.Append("SELECT \"slot\" FROM ").AppendIdentifier(SystemTables.Counts).Append(" WHERE \"collectionId\" = ").AppendParameter(collectionId)
            .Append(" AND \"slot\" ").Append(comparison).Append(' ').AppendParameter(firstSlot)
            .Append(" ORDER BY \"slot\" LIMIT 1 FOR UPDATE SKIP LOCKED");

    // SHARE ROW EXCLUSIVE waits for the writes in flight and blocks new ones (and another counter of the same table).
    public string? RowCountLockStatement(string quotedTable) => $"LOCK TABLE {quotedTable} IN SHARE ROW EXCLUSIVE MODE";

    /// <summary>PostgreSQL has no stable row id (a ctid moves on update), so each record table carries an identity column.</summary>
    public string? RowIdColumnDefinition => $"{Quote(RowIdColumn)} bigint GENERATED ALWAYS AS IDENTITY";

    /// <summary>
    /// Unlogged: a rate-limit window or a heartbeat is worth no WAL flush, and losing them in a PostgreSQL crash only
    /// resets counts and the view of the peers.
    /// </summary>
    public IReadOnlyList<string> ClusterTables =>
    [
        """CREATE UNLOGGED TABLE IF NOT EXISTS "_rateLimits" ("key" TEXT PRIMARY KEY NOT NULL, "ends" BIGINT NOT NULL, "count" INTEGER NOT NULL)""",
        """CREATE UNLOGGED TABLE IF NOT EXISTS "_nodes" ("id" TEXT PRIMARY KEY NOT NULL, "started" BIGINT NOT NULL, "seen" BIGINT NOT NULL, "position" BIGINT NOT NULL DEFAULT 0)""",
    ];

    /// <summary>Unlogged as well: a client's node and a subscribe in flight live no longer than the nodes' connections.</summary>
    public IReadOnlyList<string> RealtimeClusterTables =>
    [
        """CREATE UNLOGGED TABLE IF NOT EXISTS "_realtimeClients" ("key" TEXT PRIMARY KEY NOT NULL, "node" TEXT NOT NULL, "created" BIGINT NOT NULL)""",
        """CREATE INDEX IF NOT EXISTS "_realtimeClients_node" ON "_realtimeClients" ("node")""",
        """
        CREATE UNLOGGED TABLE IF NOT EXISTS "_realtimeSubscribes" (
            "id" TEXT PRIMARY KEY NOT NULL, "node" TEXT NOT NULL, "client" TEXT NOT NULL, "ip" TEXT NOT NULL,
            "authCollection" TEXT NOT NULL, "authId" TEXT NOT NULL, "subscriptions" TEXT NOT NULL, "resumeFrom" TEXT NOT NULL,
            "created" BIGINT NOT NULL)
        """,
    ];

    /// <summary>Existing rows are numbered in their physical order, the nearest there is to insertion order.</summary>
    public IReadOnlyList<string> AddRowIdColumns =>
    [
        $$"""
        DO $$
        DECLARE t text;
        BEGIN
            FOR t IN SELECT "name" FROM "_collections" WHERE "type" <> 'view' LOOP
                EXECUTE format('ALTER TABLE %I ADD COLUMN IF NOT EXISTS "{{RowIdColumn}}" bigint GENERATED ALWAYS AS IDENTITY', t);
            END LOOP;
        END $$
        """,
    ];
}
