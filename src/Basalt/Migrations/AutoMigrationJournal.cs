using System.Data.Common;
using System.Text;
using Basalt.Collections;
using Basalt.Common;
using Basalt.Errors;
using Basalt.Storage.Tables;
using Microsoft.Extensions.Logging;

namespace Basalt.Migrations;

/// <summary>
/// The automigrate option: each collection change made through the API writes a migration file, inside the change's
/// write unit and recorded there as applied, so the file exists exactly when the change commits (a unit that then
/// fails removes it) and replaying the folder elsewhere gives the same collections.
/// </summary>
public sealed class AutoMigrationJournal(MigrationOptions options, TimeProvider time, ILogger<AutoMigrationJournal> logger) : ICollectionChangeJournal
{
    public async Task<Action?> RecordAsync(IReadOnlyList<CollectionChange> changes, DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        var real = changes.Where(c => !c.IsEmpty).ToList();
        if (!options.Automigrate || real.Count == 0)
        {
            return null;
        }

        var folder = new MigrationFolder(options.Folder);
        var now = time.GetUtcNow();
        string fileName;
        byte[] content;
        try
        {
            fileName = folder.NextFileName(NameOf(real), now);
            content = MigrationFile.Write(DateFormat.Format(now), real);
            folder.Write(fileName, content);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or MigrationException)
        {
            Log.AutomigrateWriteFailed(logger, e, options.Folder);
            throw ApiError.Internal("Automigrate is on and the migration file could not be written (see the server log); the collection was not changed.");
        }

        try
        {
            await AppliedMigrationTable.InsertAsync(connection, transaction, new AppliedMigration(fileName, MigrationFile.Sha256(content), DateFormat.Format(now)), cancellationToken);
        }
        catch (Exception)
        {
            folder.Delete(fileName);
            throw;
        }

        Log.AutomigrateWrote(logger, fileName, real.Count);
        return () => Forget(folder, fileName);
    }

    /// <summary>Removes the file of a change that did not commit; a file left behind shows as pending in <c>migrate status</c>.</summary>
    private void Forget(MigrationFolder folder, string fileName)
    {
        try
        {
            folder.Delete(fileName);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Log.AutomigrateFileLeft(logger, e, fileName);
        }
    }

    /// <summary>PocketBase's names: <c>created_posts</c>, <c>updated_posts</c>, <c>deleted_posts</c>; <c>updated_collections</c> for an import.</summary>
    private static string NameOf(List<CollectionChange> changes)
    {
        if (changes.Count > 1)
        {
            return "updated_collections";
        }

        var change = changes[0];
        var verb = change.Before is null ? "created" : change.After is null ? "deleted" : "updated";
        var name = new StringBuilder();
        foreach (var c in change.Name.ToLowerInvariant())
        {
            name.Append(char.IsAsciiLetterOrDigit(c) || c == '_' ? c : '_');
        }

        return verb + "_" + (name.Length > MigrationFolder.MaxNameLength - verb.Length - 1 ? name.ToString(0, MigrationFolder.MaxNameLength - verb.Length - 1) : name.ToString());
    }
}
