using System.Text.Json.Nodes;
using Basalt.Model;

namespace Basalt.PocketBaseImport;

/// <summary>
/// What an import reads: a PocketBase data folder (<see cref="PocketBaseFolder"/>, v0.22 or v0.23+) or a folder
/// <c>basalt export</c> wrote (<see cref="ExportFolder"/>). Either way it offers collections in the v0.23+ JSON form,
/// settings in that form too, rows as records of the collection they go into, and files under a folder laid out as
/// PocketBase's <c>storage</c>. Opening a source only reads.
/// </summary>
public abstract class ImportSource : IAsyncDisposable
{
    /// <summary>What the source is, for the report: "PocketBase 0.22 data folder /srv/pb_data".</summary>
    public abstract string Description { get; }

    /// <summary>Every collection, PocketBase's system ones included (<c>_superusers</c>, <c>_externalAuths</c>, …).</summary>
    public abstract IReadOnlyList<SourceCollection> Collections { get; }

    /// <summary>The app settings in their v0.23+ form with secrets, or null when the source has none it can read.</summary>
    public abstract JsonObject? Settings { get; }

    /// <summary>The folder holding the uploaded files (<c>COLLECTION/RECORD/NAME</c>), or null when they are elsewhere.</summary>
    public abstract string? StorageRoot { get; }

    /// <summary>What reading the source already showed it cannot carry.</summary>
    public List<ImportNote> Notes { get; } = [];

    /// <summary>How many rows <paramref name="collection"/> has.</summary>
    public abstract Task<long> CountAsync(SourceCollection collection, CancellationToken cancellationToken);

    /// <summary>The rows of <paramref name="collection"/> as records of <paramref name="target"/> (read by field name).</summary>
    public abstract IAsyncEnumerable<Record> ReadAsync(SourceCollection collection, Collection target, CancellationToken cancellationToken);

    /// <summary>Source fields or columns that no field of <paramref name="target"/> reads, which the import leaves behind.</summary>
    public abstract Task<IReadOnlyList<string>> UnreadColumnsAsync(SourceCollection collection, Collection target, CancellationToken cancellationToken);

    public abstract ValueTask DisposeAsync();

    /// <summary>
    /// Opens <paramref name="folder"/> as whichever source it is; throws <see cref="ImportFailedException"/> saying why
    /// when it is neither a PocketBase data folder nor a Basalt export.
    /// </summary>
    public static async Task<ImportSource> OpenAsync(string folder, CancellationToken cancellationToken)
    {
        var full = Path.GetFullPath(folder);
        if (!Directory.Exists(full))
        {
            throw new ImportFailedException($"{full} is not a folder.");
        }

        if (File.Exists(Path.Combine(full, ExportLayout.Manifest)))
        {
            return await ExportFolder.OpenFolderAsync(full, cancellationToken);
        }

        return await PocketBaseFolder.OpenFolderAsync(full, cancellationToken);
    }
}
