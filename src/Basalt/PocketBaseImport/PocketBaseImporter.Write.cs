using System.Data.Common;
using System.Diagnostics;
using Basalt.Collections;
using Basalt.Errors;
using Basalt.Model;
using Basalt.Settings;
using Basalt.Storage;
using Basalt.Storage.Tables;

namespace Basalt.PocketBaseImport;

/// <summary>
/// Carrying out a plan in one write unit: replaced collections dropped, tables created, rows inserted in batches through
/// one prepared statement, indexes built after the rows (each in a savepoint, so one Basalt cannot build is left out
/// rather than failing the import), the collection rows, the views (again each in a savepoint), the superusers' options,
/// the settings, and last the files. Any error rolls the unit back and takes back the files already stored.
/// </summary>
public sealed partial class PocketBaseImporter
{
    private const int BatchSize = 500;

    /// <summary>
    /// The rows an import writes stay out of the change log: they are not events a realtime client missed, and a large
    /// import would fill the log with them.
    /// </summary>
    private readonly RecordStore _rows = new(database, logsChanges: false);

    public async Task<ImportSummary> RunAsync(ImportPlan plan, ImportSource source, Action<ImportProgress>? progress, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        Log.ImportStarted(logger, plan.Source, plan.Collections.Count, plan.Records, plan.Files.Count);
        var storage = await storages.GetAsync(cancellationToken);
        var written = new List<string>();
        var notes = new List<ImportNote>(plan.Notes);
        int viewsLeftOut;
        var committed = false;
        try
        {
            viewsLeftOut = await database.WriteAsync(
                async (c, tx, ct) =>
                {
                    var left = await WriteAsync(plan, source, notes, c, tx, progress, ct);
                    await CopyFilesAsync(plan, storage, written, progress, ct);
                    return left;
                },
                cancellationToken);
            committed = true;
        }
        catch (Exception e) when (e is ImportFailedException or DbException or ApiError or IOException or UnauthorizedAccessException or OperationCanceledException or Amazon.S3.AmazonS3Exception or InvalidDataException)
        {
            var reason = e switch
            {
                ImportFailedException => e.Message,
                OperationCanceledException => "The import was cancelled. Nothing was imported.",
                _ => e.Message + " Nothing was imported.",
            };
            Log.ImportFailed(logger, plan.Source, reason);
            throw e as ImportFailedException ?? new ImportFailedException(reason, e);
        }
        finally
        {
            // Whatever stopped the unit, it rolled back: the files it had stored go too.
            if (!committed)
            {
                await RemoveFilesAsync(storage, written);
            }

            await collectionService.LoadAsync(CancellationToken.None);
            settingsService.Reload();
        }

        var elapsed = Stopwatch.GetElapsedTime(started);
        Log.ImportFinished(logger, plan.Source, plan.Collections.Count, plan.Records, plan.Files.Count, (long)elapsed.TotalMilliseconds);
        var superusers = plan.SystemRecords.Where(s => s.Target.Name == SystemCollections.Superusers).Sum(s => (int)s.Records);
        return new ImportSummary(plan.Collections.Count - viewsLeftOut, plan.Records, superusers, plan.Files.Count, plan.FileBytes, elapsed, notes);
    }

    /// <summary>Writes everything but the files; returns how many views could not be created.</summary>
    private async Task<int> WriteAsync(ImportPlan plan, ImportSource source, List<ImportNote> notes, DbConnection c, DbTransaction tx, Action<ImportProgress>? progress, CancellationToken ct)
    {
        var unit = new UnitDatabase(database, c, tx);
        foreach (var gone in plan.Collections.Select(p => p.Replaces).OfType<Collection>().DistinctBy(r => r.Id).OrderBy(r => !r.IsView))
        {
            await SystemTables.DeleteCollectionAsync(c, tx, gone.Id, ct);
            await migrator.DropAsync(c, tx, gone, ct);
        }

        var tables = plan.Collections.Where(p => !p.Target.IsView).ToList();
        foreach (var planned in tables)
        {
            var bare = planned.Target.Clone();
            bare.Indexes.Clear();
            await migrator.CreateAsync(c, tx, bare, ct);
        }

        var copied = new RecordCounter(plan.Records, progress);
        foreach (var planned in tables.Concat(plan.SystemRecords))
        {
            await CopyRecordsAsync(source, planned, copied, c, tx, ct);
        }

        foreach (var planned in tables)
        {
            await CreateIndexesAsync(unit, planned.Target, notes, ct);
            await SystemTables.InsertCollectionAsync(c, tx, database.Dialect, CollectionRows.ToRow(planned.Target), ct);
        }

        var viewsLeftOut = await CreateViewsAsync(unit, plan.Collections.Where(p => p.Target.IsView).Select(p => p.Target).ToList(), notes, ct);
        if (plan.Superusers is { } superusers)
        {
            await SystemTables.UpdateCollectionAsync(c, tx, database.Dialect, CollectionRows.ToRow(superusers), ct);
        }

        if (plan.Settings is { } settings)
        {
            await SystemTables.SetParamAsync(c, tx, database.Dialect, SettingsService.ParamKey, settings.ToJsonString(), Now(), ct);
        }

        return viewsLeftOut;
    }

    /// <summary>Streams a collection's rows into its table in batches; a superuser replaces Basalt's of the same id or email.</summary>
    private async Task CopyRecordsAsync(ImportSource source, PlannedCollection planned, RecordCounter copied, DbConnection c, DbTransaction tx, CancellationToken ct)
    {
        if (planned.Records == 0)
        {
            return;
        }

        var target = planned.Target;
        var isSuperusers = target.Name == SystemCollections.Superusers;
        var batch = new List<Record>(BatchSize);
        await foreach (var record in source.ReadAsync(planned.Source, target, ct))
        {
            if (isSuperusers)
            {
                await RemoveSuperuserAsync(target, record, c, tx, ct);
            }

            batch.Add(record);
            if (batch.Count == BatchSize)
            {
                await InsertAsync(target, batch, c, tx, ct);
                copied.Add(batch.Count);
                batch.Clear();
            }
        }

        await InsertAsync(target, batch, c, tx, ct);
        copied.Add(batch.Count);

        // The bulk insert bypasses the change log, which is what moves the kept row counts: count the table again.
        await RowCountStore.TrackAsync(target, c, tx, database.Dialect, ct);
    }

    private async Task RemoveSuperuserAsync(Collection superusers, Record incoming, DbConnection c, DbTransaction tx, CancellationToken ct)
    {
        var email = incoming.GetString("email");
        var existing = await store.FindByIdAsync(superusers, incoming.Id, c, tx, ct)
            ?? (email.Length > 0 ? await store.FindByValueAsync(superusers, "email", email, ignoreCase: true, c, tx, ct) : null);
        if (existing is not null)
        {
            await _rows.DeleteAsync(superusers, existing.Id, c, tx, ct);
        }
    }

    private async Task InsertAsync(Collection target, List<Record> batch, DbConnection c, DbTransaction tx, CancellationToken ct)
    {
        try
        {
            await _rows.InsertRowsAsync(target, batch, c, tx, ct);
        }
        catch (DbException e)
        {
            // Which row: insert them one at a time is not possible after a failed statement on PostgreSQL, so name the batch.
            throw new ImportFailedException(
                $"A record of \"{target.Name}\" (among {batch[0].Id} … {batch[^1].Id}) could not be stored: {e.Message.Split('\n')[0].Trim()}. Nothing was imported.", e);
        }
    }

    /// <summary>Builds each index of <paramref name="collection"/> in a savepoint; one that fails is left out of the collection and noted.</summary>
    private async Task CreateIndexesAsync(UnitDatabase unit, Collection collection, List<ImportNote> notes, CancellationToken ct)
    {
        foreach (var index in collection.Indexes.ToList())
        {
            try
            {
                await unit.WriteAsync(
                    async (c, tx, t) =>
                    {
                        await migrator.CreateIndexAsync(c, tx, collection.Name, index, t);
                        return 0;
                    },
                    ct);
            }
            catch (DbException e)
            {
                collection.Indexes.Remove(index);
                notes.Add(new ImportNote($"collection \"{collection.Name}\" index", $"{index}: the database refused it ({e.Message.Split('\n')[0].Trim()}); left out"));
            }
        }
    }

    /// <summary>
    /// Creates the views, each with its collection row, in a savepoint: a view that reads another view waits for it, so
    /// the loop runs until a round makes none; those left are noted (a view holds no data of its own).
    /// </summary>
    private async Task<int> CreateViewsAsync(UnitDatabase unit, List<Collection> views, List<ImportNote> notes, CancellationToken ct)
    {
        var pending = new List<Collection>(views);
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        while (pending.Count > 0)
        {
            var made = 0;
            foreach (var view in pending.ToList())
            {
                try
                {
                    await unit.WriteAsync(
                        async (c, tx, t) =>
                        {
                            await migrator.CreateAsync(c, tx, view, t);
                            await SystemTables.InsertCollectionAsync(c, tx, database.Dialect, CollectionRows.ToRow(view), t);
                            return 0;
                        },
                        ct);
                    pending.Remove(view);
                    made++;
                }
                catch (Exception e) when (e is DbException or ApiError)
                {
                    errors[view.Id] = e is ApiError api && api.Data.Count > 0 ? api.Data.ToJsonString() : e.Message;
                }
            }

            if (made == 0)
            {
                break;
            }
        }

        foreach (var view in pending)
        {
            notes.Add(new ImportNote($"view \"{view.Name}\"", "the database could not create it: " + errors[view.Id]));
        }

        return pending.Count;
    }

    /// <summary>Counts copied records and reports progress at most every 1,000 records.</summary>
    private sealed class RecordCounter(long total, Action<ImportProgress>? progress)
    {
        private long _done;
        private long _reported;

        public void Add(int count)
        {
            _done += count;
            if (progress is not null && (_done - _reported >= 1000 || _done == total))
            {
                _reported = _done;
                progress(new ImportProgress("records", _done, total, "records"));
            }
        }
    }
}
