using System.Net.Http.Headers;

namespace Basalt.Client.Records;

/// <summary>Import and export of a collection's records as JSON or CSV (<c>/api/collections/{c}/export</c> and <c>/import</c>).</summary>
public sealed partial class RecordService
{
    /// <summary>Every record of the collection as a file in <paramref name="format"/> (<c>json</c> or <c>csv</c>).</summary>
    public async Task<byte[]> ExportAsync(string format, CancellationToken cancellationToken = default)
    {
        var options = new RequestOptions();
        options.Query["format"] = format;
        using var response = await _client.SendRawAsync(HttpMethod.Get, CollectionPath + "/export", null, options, HttpCompletionOption.ResponseContentRead, cancellationToken);
        return await response.Content.ReadAsByteArrayAsync(cancellationToken);
    }

    /// <summary>
    /// Creates the records of a JSON or CSV file in one transaction and returns how many; when a row is invalid nothing
    /// is written and the <see cref="ClientResponseException"/> (400) carries <c>data.rows[{row, errors}]</c>.
    /// </summary>
    public async Task<int> ImportAsync(string format, Stream file, string fileName, CancellationToken cancellationToken = default)
    {
        var options = new RequestOptions();
        options.Query["format"] = format;
        using var content = new MultipartFormDataContent();
        var part = new StreamContent(file);
        part.Headers.ContentType = new MediaTypeHeaderValue(format == "csv" ? "text/csv" : "application/json");
        content.Add(part, "file", fileName);
        var answer = await _client.SendAsync(HttpMethod.Post, CollectionPath + "/import", content, options, cancellationToken);
        return (int)(JsonRead.Number(answer?["imported"]) ?? 0);
    }
}
