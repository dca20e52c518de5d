using System.Text.Json.Nodes;

namespace Basalt.Client.Admin;

/// <summary>The collections API of §3 (superusers only): list, view, create, update, delete, truncate, import, scaffolds.</summary>
public sealed partial class CollectionService
{
    private const string Path = "api/collections";
    private readonly BasaltClient _client;

    internal CollectionService(BasaltClient client) => _client = client;

    public async Task<ListResult<JsonObject>> GetListAsync(ListOptions? options = null, CancellationToken cancellationToken = default) =>
        ListResults.FromJson(await _client.SendAsync(HttpMethod.Get, Path, (HttpContent?)null, options, cancellationToken));

    /// <summary>Every collection, system ones included.</summary>
    public async Task<List<JsonObject>> GetFullListAsync(ListOptions? options = null, CancellationToken cancellationToken = default)
    {
        var all = new List<JsonObject>();
        for (var page = 1; ; page++)
        {
            var result = await GetListAsync((options ?? new ListOptions()).With(page, 1000, skipTotal: true), cancellationToken);
            all.AddRange(result.Items);
            if (result.Items.Count < 1000)
            {
                return all;
            }
        }
    }

    public async Task<JsonObject> GetOneAsync(string idOrName, RequestOptions? options = null, CancellationToken cancellationToken = default) =>
        JsonRead.Object(await _client.SendAsync(HttpMethod.Get, One(idOrName), (HttpContent?)null, options, cancellationToken));

    /// <summary>Creates a collection: <c>{"name": "posts", "type": "base", "fields": [...], "listRule": "", ...}</c>.</summary>
    public async Task<JsonObject> CreateAsync(JsonObject collection, RequestOptions? options = null, CancellationToken cancellationToken = default) =>
        JsonRead.Object(await _client.SendAsync(HttpMethod.Post, Path, collection, options, cancellationToken));

    /// <summary>Changes a collection; <c>fields</c>, when sent, replaces the whole list (send each field's id to keep its column).</summary>
    public async Task<JsonObject> UpdateAsync(string idOrName, JsonObject changes, RequestOptions? options = null, CancellationToken cancellationToken = default) =>
        JsonRead.Object(await _client.SendAsync(HttpMethod.Patch, One(idOrName), changes, options, cancellationToken));

    public Task DeleteAsync(string idOrName, CancellationToken cancellationToken = default) =>
        _client.SendAsync(HttpMethod.Delete, One(idOrName), (HttpContent?)null, null, cancellationToken);

    /// <summary>Deletes every record of a collection (with the cascades of each delete).</summary>
    public Task TruncateAsync(string idOrName, CancellationToken cancellationToken = default) =>
        _client.SendAsync(HttpMethod.Delete, One(idOrName) + "/truncate", (HttpContent?)null, null, cancellationToken);

    /// <summary>Creates or replaces <paramref name="collections"/> in one go; <paramref name="deleteMissing"/> drops the collections not listed.</summary>
    public Task ImportAsync(JsonArray collections, bool deleteMissing = false, CancellationToken cancellationToken = default) =>
        _client.SendAsync(HttpMethod.Put, Path + "/import", new JsonObject { ["collections"] = collections.DeepClone(), ["deleteMissing"] = deleteMissing }, null, cancellationToken);

    /// <summary>The default collection of each type: <c>{"base": {...}, "auth": {...}, "view": {...}}</c>.</summary>
    public async Task<JsonObject> GetScaffoldsAsync(CancellationToken cancellationToken = default) =>
        JsonRead.Object(await _client.SendAsync(HttpMethod.Get, Path + "/meta/scaffolds", (HttpContent?)null, null, cancellationToken));

    /// <summary>The OAuth2 providers the server knows: <c>[{name, displayName, logo}]</c>.</summary>
    public async Task<JsonArray> GetOAuth2ProvidersAsync(CancellationToken cancellationToken = default) =>
        await _client.SendAsync(HttpMethod.Get, Path + "/meta/oauth2-providers", (HttpContent?)null, null, cancellationToken) as JsonArray ?? [];

    /// <summary>The fields a view query would have, and up to 10 sample records: <c>{fields, sample}</c>.</summary>
    public async Task<JsonObject> DryRunViewAsync(string query, CancellationToken cancellationToken = default) =>
        JsonRead.Object(await _client.SendAsync(HttpMethod.Post, Path + "/meta/dry-run-view", new JsonObject { ["query"] = query }, null, cancellationToken));

    private static string One(string idOrName) => Path + "/" + Uri.EscapeDataString(idOrName);
}
