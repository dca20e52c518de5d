using System.Text.Json.Nodes;
using Basalt.Client.Files;

namespace Basalt.Client.Batch;

/// <summary>
/// Record writes sent as one <c>POST /api/batch</c> and run in one transaction: all succeed, or none does and
/// <see cref="SendAsync"/> throws a 400 <see cref="ClientResponseException"/> whose <c>ErrorData["requests"]</c> names
/// the failed one. Batches must be enabled in the settings (<c>batch.enabled</c>).
/// </summary>
public sealed class BatchRequest
{
    private readonly BasaltClient _client;
    private readonly List<(JsonObject Request, List<FileUpload> Files)> _requests = [];

    internal BatchRequest(BasaltClient client) => _client = client;

    /// <summary>The writes queued so far.</summary>
    public int Count => _requests.Count;

    /// <summary>Queues writes to the records of <paramref name="collection"/>.</summary>
    public BatchCollection Collection(string collection) => new(this, collection);

    /// <summary>Sends every queued write; one result per write, in order.</summary>
    public async Task<IReadOnlyList<BatchResult>> SendAsync(RequestOptions? options = null, CancellationToken cancellationToken = default)
    {
        var payload = new JsonObject { ["requests"] = new JsonArray(_requests.Select(r => (JsonNode)r.Request.DeepClone()).ToArray()) };
        var files = _requests.SelectMany((r, i) => r.Files.Select(f => ($"requests.{i}.{f.Field}", f))).ToList();
        using var content = files.Count == 0 ? BasaltClient.JsonBody(payload) : MultipartBody.Create(payload, files);
        var body = await _client.SendAsync(HttpMethod.Post, "api/batch", content, options, cancellationToken) as JsonArray ?? [];
        return body.OfType<JsonObject>()
            .Select(r => new BatchResult((int)(JsonRead.Number(r["status"]) ?? 0), r["body"]?.DeepClone()))
            .ToList();
    }

    internal void Add(string method, string url, JsonObject? body, IEnumerable<FileUpload>? files)
    {
        var request = new JsonObject { ["method"] = method, ["url"] = url };
        if (body is not null)
        {
            request["body"] = body.DeepClone();
        }

        _requests.Add((request, files?.ToList() ?? []));
    }
}

/// <summary>The writes of a batch to one collection.</summary>
public sealed class BatchCollection
{
    private readonly BatchRequest _batch;
    private readonly string _records;

    internal BatchCollection(BatchRequest batch, string collection)
    {
        _batch = batch;
        _records = "/api/collections/" + Uri.EscapeDataString(collection) + "/records";
    }

    public BatchCollection Create(JsonObject body, IEnumerable<FileUpload>? files = null, RecordOptions? options = null)
    {
        _batch.Add("POST", WithQuery(_records, options), body, files);
        return this;
    }

    public BatchCollection Update(string id, JsonObject body, IEnumerable<FileUpload>? files = null, RecordOptions? options = null)
    {
        _batch.Add("PATCH", WithQuery(_records + "/" + Uri.EscapeDataString(id), options), body, files);
        return this;
    }

    /// <summary>Updates the record whose id is <c>body["id"]</c> when it exists, else creates it.</summary>
    public BatchCollection Upsert(JsonObject body, IEnumerable<FileUpload>? files = null, RecordOptions? options = null)
    {
        _batch.Add("PUT", WithQuery(_records, options), body, files);
        return this;
    }

    public BatchCollection Delete(string id)
    {
        _batch.Add("DELETE", _records + "/" + Uri.EscapeDataString(id), null, null);
        return this;
    }

    private static string WithQuery(string url, RecordOptions? options)
    {
        var query = string.Join('&', (options?.QueryPairs() ?? [])
            .Where(p => p.Value is not null)
            .Select(p => Uri.EscapeDataString(p.Key) + "=" + Uri.EscapeDataString(p.Value ?? "")));
        return query.Length == 0 ? url : url + "?" + query;
    }
}

/// <summary>The answer of one write of a batch: its status and body (the record, or null for a delete).</summary>
public sealed record BatchResult(int Status, JsonNode? Body);
