using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Basalt.Client.Files;

namespace Basalt.Client.Records;

/// <summary>
/// The records of one collection read and written as <typeparamref name="T"/>, a type of the app (derive it from
/// <see cref="RecordModel"/> for the common keys). Serialization goes through a <see cref="JsonTypeInfo{T}"/> from the
/// app's source-generated <c>JsonSerializerContext</c>, so it keeps working when trimmed (Blazor WebAssembly, AOT).
/// </summary>
public sealed class TypedRecordService<T>
{
    private readonly RecordService _records;
    private readonly JsonTypeInfo<T> _type;

    internal TypedRecordService(RecordService records, JsonTypeInfo<T> type)
    {
        _records = records;
        _type = type;
    }

    /// <summary>The untyped calls of the same collection (auth flows, subscriptions).</summary>
    public RecordService Untyped => _records;

    public async Task<ListResult<T>> GetListAsync(ListOptions? options = null, CancellationToken cancellationToken = default)
    {
        var page = await _records.GetListAsync(options, cancellationToken);
        return new ListResult<T>(page.Page, page.PerPage, page.TotalItems, page.TotalPages, page.Items.Select(Read).ToList());
    }

    public Task<ListResult<T>> GetListAsync(int page, int perPage, ListOptions? options = null, CancellationToken cancellationToken = default) =>
        GetListAsync((options ?? new ListOptions()).With(page, perPage, options?.SkipTotal ?? false), cancellationToken);

    public async Task<List<T>> GetFullListAsync(ListOptions? options = null, int batchSize = 1000, CancellationToken cancellationToken = default) =>
        (await _records.GetFullListAsync(options, batchSize, cancellationToken)).Select(Read).ToList();

    public async Task<T> GetFirstListItemAsync(string filter, ListOptions? options = null, CancellationToken cancellationToken = default) =>
        Read(await _records.GetFirstListItemAsync(filter, options, cancellationToken));

    public async Task<T> GetOneAsync(string id, RecordOptions? options = null, CancellationToken cancellationToken = default) =>
        Read(await _records.GetOneAsync(id, options, cancellationToken));

    /// <summary>Creates a record from <paramref name="value"/>'s JSON (keys the server does not know, such as <c>collectionName</c>, are ignored by it).</summary>
    public async Task<T> CreateAsync(T value, IEnumerable<FileUpload>? files = null, RecordOptions? options = null, CancellationToken cancellationToken = default) =>
        Read(await _records.CreateAsync(Write(value), files, options, cancellationToken));

    /// <summary>Updates a record with every key of <paramref name="value"/>; send a <see cref="JsonObject"/> through <see cref="Untyped"/> to change a few.</summary>
    public async Task<T> UpdateAsync(string id, T value, IEnumerable<FileUpload>? files = null, RecordOptions? options = null, CancellationToken cancellationToken = default) =>
        Read(await _records.UpdateAsync(id, Write(value), files, options, cancellationToken));

    public Task DeleteAsync(string id, RequestOptions? options = null, CancellationToken cancellationToken = default) =>
        _records.DeleteAsync(id, options, cancellationToken);

    private T Read(JsonObject record) => record.Deserialize(_type) ?? throw new ClientResponseException("The server answered a record of null.");

    private JsonObject Write(T value) =>
        JsonSerializer.SerializeToNode(value, _type) as JsonObject ?? throw new ArgumentException("The value does not serialize to a JSON object.", nameof(value));
}
