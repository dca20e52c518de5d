namespace Basalt.Storage.Tables;

/// <summary>
/// Realtime across nodes: which node holds each client (<c>_realtimeClients</c>, keyed by a hash of the client id, so
/// the table never holds an id that could be presented) and the subscribes on their way to that node
/// (<c>_realtimeSubscribes</c>, each taken exactly once by a delete, by that node or by the sender giving up).
/// </summary>
public sealed partial class ClusterTables
{
    /// <summary>Records that <paramref name="nodeId"/> holds the client whose key is <paramref name="key"/>.</summary>
    public Task AddRealtimeClientAsync(string key, string nodeId, long nowMs, CancellationToken cancellationToken) =>
        database.ReadAsync(
            (connection, ct) => connection.ExecuteAsync(
                """INSERT INTO "_realtimeClients" ("key", "node", "created") VALUES (@key, @node, @now) ON CONFLICT ("key") DO NOTHING""",
                null,
                ct,
                ("key", key), ("node", nodeId), ("now", nowMs)),
            cancellationToken);

    /// <summary>
    /// Makes the clients recorded for <paramref name="nodeId"/> exactly <paramref name="keys"/>, in one statement: the
    /// missing are inserted, the others deleted, except those recorded since <paramref name="recordedBeforeMs"/> (a
    /// client that connected after <paramref name="keys"/> were read, whose own insert must not be undone).
    /// </summary>
    public Task SyncRealtimeClientsAsync(string[] keys, string nodeId, long recordedBeforeMs, long nowMs, CancellationToken cancellationToken) =>
        database.ReadAsync(
            (connection, ct) => connection.ExecuteAsync(
                """
                WITH "stale" AS (
                    DELETE FROM "_realtimeClients" WHERE "node" = @node AND "created" < @before AND NOT ("key" = ANY(@keys))
                )
                INSERT INTO "_realtimeClients" ("key", "node", "created") SELECT k, @node, @now FROM unnest(@keys) AS k
                ON CONFLICT ("key") DO NOTHING
                """,
                null,
                ct,
                ("keys", keys), ("node", nodeId), ("before", recordedBeforeMs), ("now", nowMs)),
            cancellationToken);

    public Task RemoveRealtimeClientAsync(string key, CancellationToken cancellationToken) =>
        database.ReadAsync(
            (connection, ct) => connection.ExecuteAsync("""DELETE FROM "_realtimeClients" WHERE "key" = @key""", null, ct, ("key", key)),
            cancellationToken);

    /// <summary>The node that holds the client of <paramref name="key"/>, if its heartbeat was seen since <paramref name="sinceMs"/>.</summary>
    public Task<string?> RealtimeClientNodeAsync(string key, long sinceMs, CancellationToken cancellationToken) =>
        database.ReadAsync(
            async (connection, ct) => (string?)await connection.ScalarAsync(
                """
                SELECT c."node" FROM "_realtimeClients" c JOIN "_nodes" n ON n."id" = c."node"
                WHERE c."key" = @key AND n."seen" >= @since
                """,
                null,
                ct,
                ("key", key), ("since", sinceMs)),
            cancellationToken);

    /// <summary>
    /// Deletes the clients of nodes whose heartbeat was not seen since <paramref name="staleBeforeMs"/> (dead nodes),
    /// and the subscribes no node took by then.
    /// </summary>
    public Task<int> SweepRealtimeClientsAsync(long staleBeforeMs, CancellationToken cancellationToken) =>
        database.ReadAsync(
            async (connection, ct) =>
            {
                await connection.ExecuteAsync("""DELETE FROM "_realtimeSubscribes" WHERE "created" < @stale""", null, ct, ("stale", staleBeforeMs));
                return await connection.ExecuteAsync(
                    """
                    DELETE FROM "_realtimeClients" WHERE "created" < @stale
                    AND "node" NOT IN (SELECT "id" FROM "_nodes" WHERE "seen" >= @stale)
                    """,
                    null,
                    ct,
                    ("stale", staleBeforeMs));
            },
            cancellationToken);

    public Task AddRealtimeSubscribeAsync(RealtimeSubscribeRow row, long nowMs, CancellationToken cancellationToken) =>
        database.ReadAsync(
            (connection, ct) => connection.ExecuteAsync(
                """
                INSERT INTO "_realtimeSubscribes" ("id", "node", "client", "ip", "authCollection", "authId", "subscriptions", "resumeFrom", "created")
                VALUES (@id, @node, @client, @ip, @authCollection, @authId, @subscriptions, @resumeFrom, @now)
                """,
                null,
                ct,
                ("id", row.Id), ("node", row.Node), ("client", row.Client), ("ip", row.Ip), ("authCollection", row.AuthCollection),
                ("authId", row.AuthId), ("subscriptions", row.Subscriptions), ("resumeFrom", row.ResumeFrom), ("now", nowMs)),
            cancellationToken);

    /// <summary>
    /// Takes (deletes and returns) every subscribe waiting for <paramref name="nodeId"/>, in one statement. A subscribe
    /// is taken once: by its node, or by its sender that stopped waiting.
    /// </summary>
    public Task<List<RealtimeSubscribeRow>> TakeRealtimeSubscribesAsync(string nodeId, CancellationToken cancellationToken) =>
        database.ReadAsync(
            (connection, ct) => connection.ReadAsync(
                """
                DELETE FROM "_realtimeSubscribes" WHERE "node" = @node
                RETURNING "id", "node", "client", "ip", "authCollection", "authId", "subscriptions", "resumeFrom"
                """,
                null,
                r => new RealtimeSubscribeRow(
                    r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5), r.GetString(6), r.GetString(7)),
                ct,
                ("node", nodeId)),
            cancellationToken);

    /// <summary>Deletes the subscribe <paramref name="id"/> if its node has not taken it yet; true when it was still there.</summary>
    public Task<bool> DropRealtimeSubscribeAsync(string id, CancellationToken cancellationToken) =>
        database.ReadAsync(
            async (connection, ct) => await connection.ExecuteAsync("""DELETE FROM "_realtimeSubscribes" WHERE "id" = @id""", null, ct, ("id", id)) > 0,
            cancellationToken);
}
