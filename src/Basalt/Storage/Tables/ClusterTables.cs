using System.Globalization;

namespace Basalt.Storage.Tables;

/// <summary>
/// The state nodes sharing one PostgreSQL keep in it (<see cref="ISqlDialect.ClusterTables"/>): rate-limit windows
/// every node counts in (<c>_rateLimits</c>) and each node's heartbeat (<c>_nodes</c>). Each call is one autocommit
/// statement on a read connection (so it has the read deadline): none needs a transaction of its own.
/// </summary>
public sealed partial class ClusterTables(IDatabase database)
{
    /// <summary>
    /// Counts one request for <paramref name="key"/> in its fixed window (a new one starts when the last ended) and
    /// returns the count so far in that window, this request included.
    /// </summary>
    public Task<int> HitAsync(string key, long nowMs, long windowMs, CancellationToken cancellationToken) =>
        database.ReadAsync(
            async (connection, ct) => Convert.ToInt32(
                await connection.ScalarAsync(
                    """
                    INSERT INTO "_rateLimits" AS r ("key", "ends", "count") VALUES (@key, @ends, 1)
                    ON CONFLICT ("key") DO UPDATE SET
                        "count" = CASE WHEN r."ends" <= @now THEN 1 ELSE r."count" + 1 END,
                        "ends" = CASE WHEN r."ends" <= @now THEN @ends ELSE r."ends" END
                    RETURNING "count"
                    """,
                    null,
                    ct,
                    ("key", key), ("now", nowMs), ("ends", nowMs + windowMs)),
                CultureInfo.InvariantCulture),
            cancellationToken);

    /// <summary>Gives back one count of <paramref name="key"/> in its current window (a check that passed).</summary>
    public Task ReleaseAsync(string key, long nowMs, CancellationToken cancellationToken) =>
        database.ReadAsync(
            (connection, ct) => connection.ExecuteAsync(
                """UPDATE "_rateLimits" SET "count" = "count" - 1 WHERE "key" = @key AND "ends" > @now AND "count" > 0""",
                null,
                ct,
                ("key", key), ("now", nowMs)),
            cancellationToken);

    /// <summary>Deletes the windows that ended before <paramref name="nowMs"/>.</summary>
    public Task<int> SweepRateLimitsAsync(long nowMs, CancellationToken cancellationToken) =>
        database.ReadAsync(
            (connection, ct) => connection.ExecuteAsync("""DELETE FROM "_rateLimits" WHERE "ends" <= @now""", null, ct, ("now", nowMs)),
            cancellationToken);

    /// <summary>Records that <paramref name="nodeId"/> is alive at <paramref name="nowMs"/>, with its change-log position.</summary>
    public Task BeatAsync(string nodeId, long startedMs, long nowMs, long position, CancellationToken cancellationToken) =>
        database.ReadAsync(
            (connection, ct) => connection.ExecuteAsync(
                """
                INSERT INTO "_nodes" ("id", "started", "seen", "position") VALUES (@id, @started, @now, @position)
                ON CONFLICT ("id") DO UPDATE SET "seen" = @now, "position" = @position
                """,
                null,
                ct,
                ("id", nodeId), ("started", startedMs), ("now", nowMs), ("position", position)),
            cancellationToken);

    /// <summary>The nodes seen since <paramref name="sinceMs"/>, and deletes those not seen since <paramref name="forgetBeforeMs"/>.</summary>
    public Task<List<NodeBeat>> NodesAsync(long sinceMs, long forgetBeforeMs, CancellationToken cancellationToken) =>
        database.ReadAsync(
            async (connection, ct) =>
            {
                await connection.ExecuteAsync("""DELETE FROM "_nodes" WHERE "seen" < @forget""", null, ct, ("forget", forgetBeforeMs));
                return await connection.ReadAsync(
                    """SELECT "id", "started", "seen", "position" FROM "_nodes" WHERE "seen" >= @since ORDER BY "id" """,
                    null,
                    r => new NodeBeat(r.GetString(0), r.GetInt64(1), r.GetInt64(2), r.GetInt64(3)),
                    ct,
                    ("since", sinceMs));
            },
            cancellationToken);

    /// <summary>The newest change-log id (0 for none): what a node's position is compared with.</summary>
    public Task<long> ChangeLogHeadAsync(CancellationToken cancellationToken) =>
        database.ReadAsync(
            async (connection, ct) => Convert.ToInt64(
                await connection.ScalarAsync("""SELECT MAX("id") FROM "_changes" """, null, ct) ?? 0L,
                CultureInfo.InvariantCulture),
            cancellationToken);
}
