using Basalt.Errors;
using Basalt.Files.Thumbs;
using Basalt.Model;
using Basalt.Query;
using Basalt.Records.Fields;
using Basalt.Rules;
using Basalt.Storage.Tables;

namespace Basalt.Files;

/// <summary>
/// Finds the file a download names (§9): the record must exist and one of its file fields must hold the name. An
/// unprotected file is served to anyone who knows its (random) name; a protected one only when the collection's
/// viewRule passes for the record of the request's file token (<c>@request.context = "protectedFile"</c>). Every
/// refusal is the same 404, so a caller learns nothing about what exists.
/// </summary>
public sealed class FileService(ICollectionLookup collections, RecordStore store, RuleEvaluator rules, FileStorageProvider storages, ThumbService thumbs)
{
    public const string ProtectedFileContext = "protectedFile";

    /// <param name="tokenRecord">The record of a valid file token, or null; it becomes <c>@request.auth</c> for a protected file.</param>
    /// <param name="thumb">The <c>?thumb=</c> size, or empty; a size the field does not offer serves the original.</param>
    public async Task<ServedFile> FindAsync(string collectionIdOrName, string recordId, string name, string thumb, Record? tokenRecord, RequestInfo request, CancellationToken cancellationToken)
    {
        var collection = collections.Find(collectionIdOrName) ?? throw ApiError.NotFound();
        if (!FileKeys.IsSafeSegment(recordId) || !FileNames.IsValid(name))
        {
            throw ApiError.NotFound();
        }

        var record = await store.Database.ReadAsync((c, ct) => store.FindByIdAsync(collection, recordId, c, null, ct), cancellationToken) ?? throw ApiError.NotFound();
        var field = collection.Fields.Find(f => f.Type == FieldType.File && FieldValues.Items(record.Get(f.Name)).Contains(name)) ?? throw ApiError.NotFound();
        var isProtected = field.GetBool("protected");
        if (isProtected && !await CanViewAsync(collection, record.Id, request with { Auth = tokenRecord, Context = ProtectedFileContext }, cancellationToken))
        {
            throw ApiError.NotFound();
        }

        var (ownerCollection, ownerRecord) = collection.IsView ? await ViewSourceAsync(field, name, cancellationToken) : (collection.Id, record.Id);
        var key = FileKeys.File(ownerCollection, ownerRecord, name);
        var storage = await storages.GetAsync(cancellationToken);
        var stored = await storage.StatAsync(key, cancellationToken) ?? throw ApiError.NotFound();
        var contentType = stored.ContentType;
        if (contentType is null)
        {
            await using var head = await storage.OpenReadAsync(key, 0, FileSniffer.HeadLength, cancellationToken);
            contentType = await FileSniffer.DetectAsync(head, cancellationToken);
        }

        var served = new ServedFile(key, name, stored.Length, stored.LastModified, contentType, isProtected);
        return thumb.Length > 0 && await thumbs.FindAsync(storage, served, ownerCollection, ownerRecord, field, thumb, cancellationToken) is { } thumbFile
            ? thumbFile
            : served;
    }

    /// <summary>Opens the bytes of a found file from <paramref name="offset"/>; the stream may run past <paramref name="length"/>.</summary>
    public async Task<Stream> OpenAsync(ServedFile file, long offset, long length, CancellationToken cancellationToken) =>
        await (await storages.GetAsync(cancellationToken)).OpenReadAsync(file.Key, offset, length, cancellationToken);

    /// <summary>PocketBase's CanAccessRecord: a null rule admits superusers only, "" everyone, an expression the rows it matches.</summary>
    private async Task<bool> CanViewAsync(Collection collection, string id, RequestInfo request, CancellationToken cancellationToken)
    {
        if (collection.ViewRule is null)
        {
            return request.IsSuperuser;
        }

        return !RuleEvaluator.NeedsCondition(collection.ViewRule, request) ||
            await store.Database.ReadAsync(
                (c, ct) => rules.MatchesAsync(collection, id, collection.ViewRule, request, c, null, ct),
                cancellationToken);
    }

    /// <summary>
    /// A view's file field is a copy of a table's (same field id); the file lives under the source record that holds the
    /// name. Stored names carry a random part, so the first table record holding it is the one.
    /// </summary>
    private async Task<(string CollectionId, string RecordId)> ViewSourceAsync(Field viewField, string name, CancellationToken cancellationToken)
    {
        foreach (var source in collections.All.Where(c => !c.IsView))
        {
            if (source.FindFieldById(viewField.Id) is not { Type: FieldType.File } field)
            {
                continue;
            }

            var rows = await store.Database.ReadAsync((c, ct) => store.FindReferencingAsync(source, field, [name], c, null, ct), cancellationToken);
            if (rows.Find(r => FieldValues.Items(r.Get(field.Name)).Contains(name)) is { } owner)
            {
                return (source.Id, owner.Id);
            }
        }

        throw ApiError.NotFound();
    }
}
