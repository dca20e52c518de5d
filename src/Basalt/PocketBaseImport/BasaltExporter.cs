using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Basalt.Collections;
using Basalt.Common;
using Basalt.Files;
using Basalt.Model;
using Basalt.Settings;
using Basalt.Storage;
using Basalt.Storage.Tables;
using Microsoft.Extensions.Logging;

namespace Basalt.PocketBaseImport;

/// <summary>
/// Writes everything Basalt holds to a folder in <see cref="ExportLayout"/>, which <c>basalt import</c> reads back into
/// any Basalt (SQLite or PostgreSQL): every collection with its secrets, the settings, every record (hashes and token
/// keys included) as JSON lines, and the uploaded files with their thumbnails. It is written into a hidden folder
/// beside the target and renamed into place when complete, so a folder of that name is always a whole export.
/// One-time codes and MFA sessions are left out: they expire within minutes.
/// </summary>
public sealed class BasaltExporter(
    IDatabase database,
    CollectionService collectionService,
    CollectionCache cache,
    RecordStore store,
    SettingsService settingsService,
    FileStorageProvider storages,
    ILogger<BasaltExporter> logger)
{
    private const int PageSize = 1000;

    private static readonly string[] Transient = [AuthSystemCollections.Mfas, AuthSystemCollections.Otps];

    public async Task<ImportSummary> ExportAsync(string folder, Action<ImportProgress>? progress, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var target = Path.GetFullPath(folder);
        if (File.Exists(target) || (Directory.Exists(target) && Directory.EnumerateFileSystemEntries(target).Any()))
        {
            throw new ImportFailedException($"{target} already exists and is not empty; export into a new folder.");
        }

        var parent = Path.GetDirectoryName(target) ?? throw new ImportFailedException($"{target} has no parent folder.");
        Directory.CreateDirectory(parent);
        var partial = Path.Combine(parent, "." + Path.GetFileName(target) + ".partial-" + RandomNumberGenerator.GetHexString(8, lowercase: true));
        Directory.CreateDirectory(partial);
        try
        {
            await collectionService.LoadAsync(cancellationToken);
            var collections = cache.All;
            await WriteJsonAsync(Path.Combine(partial, ExportLayout.Collections), new JsonArray([.. collections.Select(c => (JsonNode)CollectionJson.Write(c, includeSecrets: true))]), cancellationToken);
            var settings = await settingsService.GetAsync(cancellationToken);
            await WriteJsonAsync(Path.Combine(partial, ExportLayout.Settings), settings.ToJson(includeSecrets: true), cancellationToken);

            var tables = collections.Where(c => !c.IsView && !Transient.Contains(c.Name, StringComparer.Ordinal)).ToList();
            var counts = new Dictionary<string, long>(StringComparer.Ordinal);
            foreach (var collection in tables)
            {
                counts[collection.Id] = await database.ReadAsync((c, ct) => store.CountAsync(collection, null, c, ct), cancellationToken);
            }

            Directory.CreateDirectory(Path.Combine(partial, ExportLayout.Records));
            long records = 0;
            var total = counts.Values.Sum();
            foreach (var collection in tables)
            {
                records += await WriteRecordsAsync(partial, collection, records, total, progress, cancellationToken);
            }

            var (files, bytes) = await CopyFilesAsync(partial, tables.Where(t => t.Fields.Any(f => f.Type == FieldType.File)).ToList(), progress, cancellationToken);
            var manifest = new JsonObject
            {
                ["format"] = ExportLayout.Format,
                ["version"] = ExportLayout.Version,
                ["exported"] = DateFormat.Format(DateTimeOffset.UtcNow),
                ["database"] = DatabaseFactory.Describe(database).Kind,
                ["collections"] = collections.Count,
                ["records"] = records,
                ["files"] = files,
            };
            await WriteJsonAsync(Path.Combine(partial, ExportLayout.Manifest), manifest, cancellationToken);
            if (Directory.Exists(target))
            {
                Directory.Delete(target);
            }

            Directory.Move(partial, target);
            var elapsed = Stopwatch.GetElapsedTime(started);
            Log.ExportFinished(logger, collections.Count, records, files, target, (long)elapsed.TotalMilliseconds);
            var superusers = (int)counts.GetValueOrDefault(cache.Find(SystemCollections.Superusers)?.Id ?? "");
            return new ImportSummary(collections.Count, records, superusers, files, bytes, elapsed, []);
        }
        catch
        {
            TryDelete(partial);
            throw;
        }
    }

    /// <summary>Writes one collection's rows as JSON lines, a page at a time in id order; returns how many.</summary>
    private async Task<long> WriteRecordsAsync(string folder, Collection collection, long before, long total, Action<ImportProgress>? progress, CancellationToken cancellationToken)
    {
        await using var stream = new FileStream(Path.Combine(folder, ExportLayout.RecordsFile(collection.Id)), FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
        await using var writer = new Utf8JsonWriter(stream, RecordJson.WriterOptions);
        var last = "";
        long count = 0;
        while (true)
        {
            var page = await database.ReadAsync((c, ct) => store.PageAfterAsync(collection, last, PageSize, c, ct), cancellationToken);
            foreach (var record in page)
            {
                RecordJson.Write(writer, record);
                await writer.FlushAsync(cancellationToken);
                writer.Reset();
                stream.WriteByte((byte)'\n');
            }

            count += page.Count;
            progress?.Invoke(new ImportProgress("records", before + count, total, "records"));
            if (page.Count < PageSize)
            {
                return count;
            }

            last = page[^1].Id;
        }
    }

    /// <summary>Copies every stored file (thumbs included) of the collections with file fields into <c>storage/</c>.</summary>
    private async Task<(long Files, long Bytes)> CopyFilesAsync(string folder, List<Collection> collections, Action<ImportProgress>? progress, CancellationToken cancellationToken)
    {
        var storage = await storages.GetAsync(cancellationToken);
        var listed = new List<StoredFile>();
        foreach (var collection in collections)
        {
            await foreach (var file in storage.ListAsync(FileKeys.Collection(collection.Id), cancellationToken))
            {
                var parts = file.Key.Split('/');
                if (parts.All(FileKeys.IsSafeSegment) && !parts[^1].StartsWith(FileKeys.TemporaryPrefix, StringComparison.Ordinal))
                {
                    listed.Add(file);
                }
            }
        }

        var total = listed.Sum(f => f.Length);
        long bytes = 0;
        foreach (var file in listed)
        {
            var path = Path.Combine([folder, ExportLayout.Storage, .. file.Key.Split('/')]);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await using (var source = await storage.OpenReadAsync(file.Key, 0, null, cancellationToken))
            await using (var copy = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
            {
                await source.CopyToAsync(copy, cancellationToken);
            }

            bytes += file.Length;
            progress?.Invoke(new ImportProgress("files", bytes, total, "bytes"));
        }

        return (listed.Count, bytes);
    }

    private static async Task WriteJsonAsync(string path, JsonNode node, CancellationToken cancellationToken)
    {
        await using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
        await using var writer = new Utf8JsonWriter(stream, RecordJson.WriterOptions with { Indented = true });
        node.WriteTo(writer);
        await writer.FlushAsync(cancellationToken);
    }

    private static void TryDelete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a hidden partial folder left behind is never taken for an export (it has no manifest).
        }
    }
}
