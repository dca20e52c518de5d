using System.Text.Json.Nodes;
using Basalt.Collections;
using Basalt.Common;
using Basalt.Errors;
using Basalt.Storage;
using Basalt.Storage.Tables;
using Microsoft.Extensions.Logging;

namespace Basalt.Migrations;

/// <summary>
/// Migrations as code: the files of the migrations folder applied to this database in order (<c>up</c>), reverted
/// latest first (<c>down</c>), compared with what it has applied (<c>status</c>), and a new file made from the
/// collection changes since the last one (<c>create</c>, in <c>MigrationService.Create.cs</c>). Each migration is
/// applied or reverted in one write unit together with its row in <c>_appliedMigrations</c>: a failing one changes nothing.
/// </summary>
public sealed partial class MigrationService(
    IDatabase database,
    CollectionService collections,
    MigrationOptions options,
    TimeProvider time,
    ILogger<MigrationService> logger)
{
    private readonly MigrationFolder _folder = new(options.Folder);

    public string Folder => _folder.Path;

    /// <summary>Every migration of the folder and every one applied here, in the order they apply.</summary>
    public async Task<IReadOnlyList<MigrationState>> StatusAsync(CancellationToken cancellationToken)
    {
        var files = await _folder.ReadAllAsync(cancellationToken);
        var applied = (await ListAppliedAsync(cancellationToken)).ToDictionary(a => a.File, StringComparer.Ordinal);
        var states = new List<MigrationState>();
        foreach (var file in files)
        {
            states.Add(applied.Remove(file.FileName, out var row)
                ? new MigrationState(file.FileName, row.Checksum == file.Checksum ? MigrationStateKind.Applied : MigrationStateKind.Changed, row.Applied)
                : new MigrationState(file.FileName, MigrationStateKind.Pending, null));
        }

        states.AddRange(applied.Values.OrderBy(a => a.File, StringComparer.Ordinal).Select(a => new MigrationState(a.File, MigrationStateKind.Missing, a.Applied)));
        return states;
    }

    /// <summary>
    /// Applies every pending migration in order, each in its own unit; returns the ones applied. Every file is read
    /// first, so one that does not read stops the run before anything changes; a migration the database refuses stops
    /// it there, with the earlier ones applied and that one not at all.
    /// </summary>
    public async Task<IReadOnlyList<MigrationFile>> UpAsync(CancellationToken cancellationToken)
    {
        var files = await _folder.ReadAllAsync(cancellationToken);
        var applied = (await ListAppliedAsync(cancellationToken)).Select(a => a.File).ToHashSet(StringComparer.Ordinal);
        var done = new List<MigrationFile>();
        foreach (var file in files.Where(f => !applied.Contains(f.FileName)))
        {
            try
            {
                await collections.ApplyAsync(
                    file.Changes,
                    async (c, tx, ct) =>
                    {
                        await AppliedMigrationTable.LockAsync(c, tx, database.Dialect, ct);
                        if (await AppliedMigrationTable.IsAppliedAsync(c, tx, file.FileName, ct))
                        {
                            throw new AlreadyDoneException();
                        }

                        await AppliedMigrationTable.InsertAsync(c, tx, new AppliedMigration(file.FileName, file.Checksum, Now()), ct);
                    },
                    cancellationToken);
            }
            catch (AlreadyDoneException)
            {
                // Another process sharing the database applied it meanwhile.
                continue;
            }
            catch (ApiError e)
            {
                throw Failed(file.FileName, "was not applied", e, done.Count, "applied");
            }

            Log.MigrationApplied(logger, file.FileName, file.Changes.Count);
            done.Add(file);
        }

        return done;
    }

    /// <summary>
    /// Reverts the <paramref name="count"/> latest applied migrations, latest first, each in its own unit: every change
    /// of the file undone in reverse order (a collection set back to its <c>before</c> snapshot, a created one deleted
    /// with its records). Refused for a migration whose file is gone or has changed since it was applied.
    /// </summary>
    public async Task<IReadOnlyList<string>> DownAsync(int count, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        var files = (await _folder.ReadAllAsync(cancellationToken)).ToDictionary(f => f.FileName, StringComparer.Ordinal);
        var done = new List<string>();
        foreach (var row in (await ListAppliedAsync(cancellationToken)).Take(count))
        {
            if (!files.TryGetValue(row.File, out var file))
            {
                throw new MigrationException($"The migration {row.File} is applied but not in {Folder}; put its file back (from version control) to revert it.");
            }

            if (file.Checksum != row.Checksum)
            {
                throw new MigrationException($"The migration {row.File} has changed since it was applied; put back the version that was applied to revert it.");
            }

            try
            {
                await collections.ApplyAsync(
                    [.. file.Changes.Reverse().Select(c => c.Reversed())],
                    async (c, tx, ct) =>
                    {
                        await AppliedMigrationTable.LockAsync(c, tx, database.Dialect, ct);
                        if (!await AppliedMigrationTable.DeleteAsync(c, tx, file.FileName, ct))
                        {
                            throw new AlreadyDoneException();
                        }
                    },
                    cancellationToken);
            }
            catch (AlreadyDoneException)
            {
                continue;
            }
            catch (ApiError e)
            {
                throw Failed(file.FileName, "was not reverted", e, done.Count, "reverted");
            }

            Log.MigrationReverted(logger, file.FileName, file.Changes.Count);
            done.Add(file.FileName);
        }

        return done;
    }

    private Task<IReadOnlyList<AppliedMigration>> ListAppliedAsync(CancellationToken cancellationToken) =>
        database.ReadAsync((c, ct) => AppliedMigrationTable.ListAsync(c, null, ct), cancellationToken);

    private string Now() => DateFormat.Format(time.GetUtcNow());

    private static MigrationException Failed(string file, string what, ApiError error, int before, string verb)
    {
        var earlier = before == 0 ? "" : $" ({before} earlier {(before == 1 ? "migration was" : "migrations were")} {verb})";
        return new MigrationException($"The migration {file} {what}; nothing of it changed{earlier}. {Describe(error)}", error);
    }

    /// <summary>The error's message and each field error under it as <c>path: message</c>, on one line.</summary>
    internal static string Describe(ApiError error)
    {
        var details = new List<string>();
        Collect(error.Data, "", details);
        return details.Count == 0 ? error.Message : error.Message + " " + string.Join("; ", details);
    }

    private static void Collect(JsonObject data, string path, List<string> details)
    {
        if (data["message"] is JsonValue message && message.TryGetValue<string>(out var text) && data.ContainsKey("code"))
        {
            details.Add(path.Length == 0 ? text : path + ": " + text);
            return;
        }

        foreach (var (key, value) in data)
        {
            if (value is JsonObject inner)
            {
                Collect(inner, path.Length == 0 ? key : path + "." + key, details);
            }
        }
    }

    /// <summary>Thrown inside a unit to leave it untouched: another process applied or reverted the same migration first.</summary>
    private sealed class AlreadyDoneException : Exception
    {
    }
}
