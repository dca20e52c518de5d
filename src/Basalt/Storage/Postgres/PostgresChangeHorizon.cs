using System.Globalization;
using Basalt.Storage.Changes;
using Npgsql;

namespace Basalt.Storage.Postgres;

/// <summary>
/// The settled head of the change log when several nodes append to it: the newest id below which no entry can still
/// appear, whichever node's transaction holds it. Read from PostgreSQL's transaction ids, in one round trip per call.
/// </summary>
/// <remarks>
/// An entry is only ever appended by a transaction that has already written its record, so it holds a transaction id
/// (xid) before its change-log id is handed out. Read <c>max(id)</c> = B under a snapshot, then take a fresh xid R in the
/// same statement: any entry with id ≤ B that is not visible yet was handed out before that snapshot, so its
/// transaction's xid is below R. Once no transaction below R is still running (the oldest running xid,
/// <c>pg_snapshot_xmin</c>, has reached R), every id up to B is final: committed or rolled back for good. A second
/// statement, behind its own Sync so that R's transaction has ended, reads that oldest running xid; when nothing older
/// was running the call settles B at once. Otherwise B waits as a candidate for a later call (the caller asks again
/// soon while <see cref="Pending"/>). A fresh xid is taken only when the log grew past the last candidate, so an idle
/// node burns none. The cost: a write transaction that stays open (on any database of the PostgreSQL server) holds
/// realtime back on every node until it ends.
/// </remarks>
internal sealed class PostgresChangeHorizon(NpgsqlDataSource source) : IChangeHorizon
{
    // Candidates beyond this are merged (the older one settles with the next): a long transaction cannot grow the list.
    private const int MaxCandidates = 64;

    private readonly List<(long Id, ulong Xid)> _candidates = [];
    private long _settled;

    public bool Pending
    {
        get
        {
            lock (_candidates)
            {
                return _candidates.Count > 0;
            }
        }
    }

    public async Task<long> SettleAsync(CancellationToken cancellationToken)
    {
        // Calls may overlap (the dispatcher and a health probe): each one's candidate is sound on its own, and the
        // list only needs order for speed, not for safety.
        long known;
        lock (_candidates)
        {
            known = _candidates.Count > 0 ? _candidates[^1].Id : _settled;
        }

        await using var connection = await source.OpenConnectionAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection) { EnableErrorBarriers = true };
        var probe = new NpgsqlBatchCommand(
            """SELECT COALESCE(MAX("id"), 0), CASE WHEN COALESCE(MAX("id"), 0) > $1 THEN pg_current_xact_id()::text END FROM "_changes" """);
        probe.Parameters.Add(new NpgsqlParameter { Value = known });
        batch.BatchCommands.Add(probe);
        batch.BatchCommands.Add(new NpgsqlBatchCommand("SELECT pg_snapshot_xmin(pg_current_snapshot())::text"));
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var newest = reader.GetInt64(0);
        var xid = reader.IsDBNull(1) ? (ulong?)null : ulong.Parse(reader.GetString(1), CultureInfo.InvariantCulture);
        await reader.NextResultAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var oldestRunning = ulong.Parse(reader.GetString(0), CultureInfo.InvariantCulture);
        return Settle(newest, xid, oldestRunning);
    }

    private long Settle(long newest, ulong? xid, ulong oldestRunning)
    {
        lock (_candidates)
        {
            if (xid is { } fresh)
            {
                _candidates.Add((newest, fresh));
                if (_candidates.Count > MaxCandidates)
                {
                    _candidates.RemoveAt(_candidates.Count - 2);
                }
            }

            while (_candidates.Count > 0 && _candidates[0].Xid <= oldestRunning)
            {
                _settled = Math.Max(_settled, _candidates[0].Id);
                _candidates.RemoveAt(0);
            }

            return _settled;
        }
    }
}
