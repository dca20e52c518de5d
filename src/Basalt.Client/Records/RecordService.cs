using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Basalt.Client.Files;

namespace Basalt.Client.Records;

/// <summary>
/// The records of one collection (<c>/api/collections/{collection}/records</c>) as JSON objects; <see cref="As{T}"/>
/// gives the same calls over a type of the app. An auth collection's sign-in flows are in <c>RecordService.Auth.cs</c>.
/// </summary>
public sealed partial class RecordService
{
    private readonly BasaltClient _client;

    internal RecordService(BasaltClient client, string collection)
    {
        _client = client;
        Collection = collection;
    }

    /// <summary>The collection's name or id, as given.</summary>
    public string Collection { get; }

    internal string CollectionPath => "api/collections/" + Uri.EscapeDataString(Collection);

    private string RecordsPath => CollectionPath + "/records";

    /// <summary>The same records read and written as <typeparamref name="T"/> through <paramref name="type"/> (source-generated, trim-safe).</summary>
    public TypedRecordService<T> As<T>(JsonTypeInfo<T> type) => new(this, type);

    /// <summary>One page of records (<see cref="ListOptions.Page"/>, <see cref="ListOptions.PerPage"/>, filter, sort, expand, fields, skipTotal).</summary>
    public async Task<ListResult<JsonObject>> GetListAsync(ListOptions? options = null, CancellationToken cancellationToken = default) =>
        ListResults.FromJson(await _client.SendAsync(HttpMethod.Get, RecordsPath, (HttpContent?)null, options, cancellationToken));

    /// <summary>Page <paramref name="page"/> of <paramref name="perPage"/> records, with the other options of <paramref name="options"/>.</summary>
    public Task<ListResult<JsonObject>> GetListAsync(int page, int perPage, ListOptions? options = null, CancellationToken cancellationToken = default) =>
        GetListAsync((options ?? new ListOptions()).With(page, perPage, options?.SkipTotal ?? false), cancellationToken);

    /// <summary>Every record that matches, read <paramref name="batchSize"/> at a time without counting (as the JS SDK's <c>getFullList</c>).</summary>
    public async Task<List<JsonObject>> GetFullListAsync(ListOptions? options = null, int batchSize = 1000, CancellationToken cancellationToken = default)
    {
        var all = new List<JsonObject>();
        for (var page = 1; ; page++)
        {
            var result = await GetListAsync((options ?? new ListOptions()).With(page, batchSize, skipTotal: true), cancellationToken);
            all.AddRange(result.Items);
            if (result.Items.Count < batchSize)
            {
                return all;
            }
        }
    }

    /// <summary>The first record that matches <paramref name="filter"/>; a 404 <see cref="ClientResponseException"/> when none does.</summary>
    public async Task<JsonObject> GetFirstListItemAsync(string filter, ListOptions? options = null, CancellationToken cancellationToken = default)
    {
        var query = (options ?? new ListOptions()).With(1, 1, skipTotal: true);
        query.Filter = filter;
        var result = await GetListAsync(query, cancellationToken);
        return result.Items.Count > 0
            ? result.Items[0]
            : throw new ClientResponseException(_client.BuildUrl(RecordsPath), 404, new JsonObject { ["status"] = 404, ["message"] = "The requested resource wasn't found." }, null);
    }

    public async Task<JsonObject> GetOneAsync(string id, RecordOptions? options = null, CancellationToken cancellationToken = default) =>
        JsonRead.Object(await _client.SendAsync(HttpMethod.Get, RecordPath(id), (HttpContent?)null, options, cancellationToken));

    /// <summary>Creates a record from <paramref name="body"/> (field modifiers such as <c>tags+</c> allowed) and, if any, uploads <paramref name="files"/>.</summary>
    public async Task<JsonObject> CreateAsync(JsonObject body, IEnumerable<FileUpload>? files = null, RecordOptions? options = null, CancellationToken cancellationToken = default) =>
        JsonRead.Object(await _client.SendAsync(HttpMethod.Post, RecordsPath, Content(body, files), options, cancellationToken));

    /// <summary>Updates a record; when it is the signed-in record, the auth store gets the new copy.</summary>
    public async Task<JsonObject> UpdateAsync(string id, JsonObject body, IEnumerable<FileUpload>? files = null, RecordOptions? options = null, CancellationToken cancellationToken = default)
    {
        var record = JsonRead.Object(await _client.SendAsync(HttpMethod.Patch, RecordPath(id), Content(body, files), options, cancellationToken));
        if (IsSignedIn(id))
        {
            var merged = (JsonObject)_client.AuthStore.Record!.DeepClone();
            foreach (var (key, value) in record)
            {
                merged[key] = value?.DeepClone();
            }

            await _client.AuthStore.SaveAsync(_client.AuthStore.Token, merged, cancellationToken);
        }

        return record;
    }

    /// <summary>Deletes a record; when it is the signed-in record, the auth store is cleared.</summary>
    public async Task DeleteAsync(string id, RequestOptions? options = null, CancellationToken cancellationToken = default)
    {
        await _client.SendAsync(HttpMethod.Delete, RecordPath(id), (HttpContent?)null, options, cancellationToken);
        if (IsSignedIn(id))
        {
            await _client.AuthStore.ClearAsync(cancellationToken);
        }
    }

    internal string RecordPath(string id) => RecordsPath + "/" + Uri.EscapeDataString(id);

    private static HttpContent Content(JsonObject body, IEnumerable<FileUpload>? files)
    {
        var uploads = files?.ToList() ?? [];
        return uploads.Count == 0 ? BasaltClient.JsonBody(body) : MultipartBody.Create(body, uploads.Select(f => (f.Field, f)));
    }

    private bool IsSignedIn(string id) =>
        _client.AuthStore.Record is { } record
        && JsonRead.String(record["id"]) == id
        && (JsonRead.String(record["collectionId"]) == Collection || JsonRead.String(record["collectionName"]) == Collection);
}
