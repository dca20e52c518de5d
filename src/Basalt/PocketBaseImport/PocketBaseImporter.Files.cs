using System.Security.Cryptography;
using Basalt.Files;
using Basalt.Model;

namespace Basalt.PocketBaseImport;

/// <summary>
/// Planning and copying the uploaded files: every file a record references, with the thumbnails PocketBase made of it,
/// from the source's storage folder to the storage Basalt uses (its data folder or its S3 bucket), under the same keys.
/// A referenced name that is not a plain file name, or a file that is a link, stops the import before anything is
/// written; each copy is checked against the MD5 PocketBase recorded beside the file.
/// </summary>
public sealed partial class PocketBaseImporter
{
    private const string AttributesSuffix = ".attrs";

    /// <summary>PocketBase's attributes of a file are a few hundred bytes of JSON.</summary>
    private const long MaxAttributesSize = 64 << 10;

    private static async Task PlanFilesAsync(ImportSource source, ImportPlan plan, CancellationToken cancellationToken)
    {
        var withFiles = plan.Collections.Where(p => !p.Target.IsView && p.Records > 0 && p.Target.Fields.Any(f => f.Type == FieldType.File)).ToList();
        if (source.StorageRoot is not { } root || withFiles.Count == 0)
        {
            return;
        }

        var missing = 0;
        var checkedFolders = new HashSet<string>(StringComparer.Ordinal);
        foreach (var planned in withFiles)
        {
            var collectionId = planned.Target.Id;
            var fileFields = planned.Target.Fields.Where(f => f.Type == FieldType.File).ToList();
            var projection = new Collection { Id = collectionId, Name = planned.Target.Name, Type = planned.Target.Type };
            projection.Fields.Add(planned.Target.FindField("id")!); // every base and auth collection has its id field
            projection.Fields.AddRange(fileFields);
            await foreach (var record in source.ReadAsync(planned.Source, projection, cancellationToken))
            {
                foreach (var name in fileFields.SelectMany(f => Names(record.Get(f.Name))))
                {
                    if (!FileKeys.IsSafeSegment(record.Id) || !FileKeys.IsSafeSegment(name) || !FileNames.IsValid(name))
                    {
                        throw new ImportFailedException(
                            $"The record \"{record.Id}\" of \"{planned.Target.Name}\" references the file \"{name}\", which is not a plain file name; nothing was imported.");
                    }

                    var folder = Path.Combine(root, collectionId, record.Id);
                    var path = Path.Combine(folder, name);
                    if (!File.Exists(path))
                    {
                        missing++;
                        continue;
                    }

                    RefuseLinks(root, collectionId, record.Id, checkedFolders);
                    plan.Files.Add(await PlanFileAsync(path, FileKeys.File(collectionId, record.Id, name), cancellationToken));
                    var thumbs = Path.Combine(folder, "thumbs_" + name);
                    if (Directory.Exists(thumbs) && new DirectoryInfo(thumbs).LinkTarget is null)
                    {
                        foreach (var thumb in Directory.EnumerateFiles(thumbs).Order(StringComparer.Ordinal))
                        {
                            var thumbName = Path.GetFileName(thumb);
                            if (!thumbName.EndsWith(AttributesSuffix, StringComparison.Ordinal) && FileKeys.IsSafeSegment(thumbName) && new FileInfo(thumb).LinkTarget is null)
                            {
                                plan.Files.Add(await PlanFileAsync(thumb, FileKeys.Thumbs(collectionId, record.Id, name) + thumbName, cancellationToken));
                            }
                        }
                    }
                }
            }
        }

        if (missing > 0)
        {
            plan.Notes.Add(new ImportNote("files", $"{ImportPlan.Count(missing, "file")} that records name are missing from {root}; the records keep the names, as PocketBase did"));
        }
    }

    /// <summary>Refuses a collection or record folder, or the storage folder itself, that is a link: it could point anywhere.</summary>
    private static void RefuseLinks(string root, string collectionId, string recordId, HashSet<string> checkedFolders)
    {
        foreach (var folder in new[] { root, Path.Combine(root, collectionId), Path.Combine(root, collectionId, recordId) })
        {
            if (checkedFolders.Add(folder) && new DirectoryInfo(folder).LinkTarget is not null)
            {
                throw new ImportFailedException($"{folder} is a symbolic link; copy the real folder there and import again. Nothing was imported.");
            }
        }
    }

    private static async Task<PlannedFile> PlanFileAsync(string path, string key, CancellationToken cancellationToken)
    {
        var info = new FileInfo(path);
        if (info.LinkTarget is not null)
        {
            throw new ImportFailedException($"{path} is a symbolic link; copy the real file there and import again. Nothing was imported.");
        }

        // PocketBase's storage writes NAME.attrs beside each file: the content type of the upload and its MD5.
        var attributes = Loose.Parse(await ReadAttributesAsync(path + AttributesSuffix, cancellationToken));
        var contentType = Loose.Text(attributes?["user.content_type"]);
        if (contentType.Length == 0)
        {
            await using var stream = File.OpenRead(path);
            contentType = await FileSniffer.DetectAsync(stream, cancellationToken);
        }

        byte[]? md5 = null;
        if (Loose.Text(attributes?["md5"]) is { Length: > 0 } encoded)
        {
            try
            {
                md5 = Convert.FromBase64String(encoded);
            }
            catch (FormatException)
            {
                md5 = null;
            }
        }

        return new PlannedFile(path, key, info.Length, contentType, md5);
    }

    /// <summary>
    /// The text of a <c>.attrs</c> file, or null when there is none or it is not one PocketBase wrote: a link (to
    /// <c>/dev/zero</c>, say) or a file past <see cref="MaxAttributesSize"/> would otherwise be read whole into memory.
    /// </summary>
    private static async Task<string?> ReadAttributesAsync(string path, CancellationToken cancellationToken)
    {
        var info = new FileInfo(path);
        return info.Exists && info.LinkTarget is null && info.Length <= MaxAttributesSize ? await File.ReadAllTextAsync(path, cancellationToken) : null;
    }

    private static IEnumerable<string> Names(object? value) => value switch
    {
        string { Length: > 0 } single => [single],
        IEnumerable<string> many => many.Where(n => n.Length > 0),
        _ => [],
    };

    /// <summary>Copies the planned files into <paramref name="storage"/>, recording each key as it lands so a failed import can take them back.</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Security", "CA5351", Justification = "PocketBase records an MD5 beside each file; it is compared to find a damaged copy, not to authenticate anything.")]
    private static async Task CopyFilesAsync(ImportPlan plan, IFileStorage storage, List<string> written, Action<ImportProgress>? progress, CancellationToken cancellationToken)
    {
        long bytes = 0;
        var total = plan.FileBytes;
        foreach (var file in plan.Files)
        {
            await using (var content = File.OpenRead(file.SourcePath))
            {
                if (file.Md5 is { } expected)
                {
                    var actual = await MD5.HashDataAsync(content, cancellationToken);
                    if (!actual.AsSpan().SequenceEqual(expected))
                    {
                        throw new ImportFailedException($"{file.SourcePath} does not match the checksum PocketBase recorded for it: the file is damaged. Nothing was imported.");
                    }

                    content.Position = 0;
                }

                await storage.PutAsync(file.Key, content, file.ContentType, cancellationToken);
            }

            written.Add(file.Key);
            bytes += file.Length;
            progress?.Invoke(new ImportProgress("files", bytes, total, "bytes"));
        }
    }

    /// <summary>Removes the files a failed import had already put, so the storage is as it was.</summary>
    private async Task RemoveFilesAsync(IFileStorage storage, List<string> written)
    {
        foreach (var key in written)
        {
            try
            {
                await storage.DeleteAsync(key, CancellationToken.None);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or Amazon.S3.AmazonS3Exception)
            {
                Log.ImportFileNotRemoved(logger, e, key);
            }
        }
    }
}
