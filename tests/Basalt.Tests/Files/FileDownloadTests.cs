using System.Net;
using System.Net.Http.Headers;
using Basalt.Tests.Fixtures;

namespace Basalt.Tests.Files;

/// <summary>GET /api/files/{collection}/{record}/{name} (§9): type from content, disposition, ranges, validators, sandboxing, 404s.</summary>
public abstract class FileDownloadTests(BasaltServerFixture fixture) : FilesTestBase(fixture)
{
    private const string Fields = """[{"name":"docs","type":"file","maxSelect":9}]""";

    private async Task<(string Collection, string RecordId, List<string> Names)> UploadAsync(params (string Key, string FileName, byte[] Content)[] files)
    {
        var (name, _) = await CollectionAsync(Fields, """{"viewRule":null,"listRule":null}""");
        var record = await CreateWithFilesAsync(name, files);
        return (name, record["id"]!.GetValue<string>(), Names(record["docs"]));
    }

    [Fact]
    public async Task Serves_the_bytes_with_the_sniffed_type_and_pocketbase_headers()
    {
        var (collection, id, names) = await UploadAsync(File("docs", "photo.txt", Png), File("docs", "notes.bin", Text("hello world")));

        using var png = await Guest.GetAsync(FileUrl(collection, id, names[0]));
        Assert.Equal(HttpStatusCode.OK, png.StatusCode);
        Assert.Equal(Png, await png.Content.ReadAsByteArrayAsync());
        Assert.Equal("image/png", png.Content.Headers.ContentType!.MediaType);
        Assert.Equal("inline; filename=" + names[0], png.Content.Headers.GetValues("Content-Disposition").Single());
        Assert.Equal("max-age=2592000, stale-while-revalidate=86400", png.Headers.CacheControl!.ToString());
        Assert.Equal("default-src 'none'; media-src 'self'; style-src 'unsafe-inline'; sandbox", png.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Equal("nosniff", png.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.False(png.Headers.Contains("X-Frame-Options"), "files may be embedded");
        Assert.Equal("bytes", png.Headers.AcceptRanges.Single());

        using var text = await Guest.GetAsync(FileUrl(collection, id, names[1]));
        Assert.Equal("text/plain; charset=utf-8", text.Content.Headers.ContentType!.ToString());
        Assert.StartsWith("attachment;", text.Content.Headers.GetValues("Content-Disposition").Single(), StringComparison.Ordinal);

        using var download = await Guest.GetAsync(FileUrl(collection, id, names[0], "download=1"));
        Assert.StartsWith("attachment;", download.Content.Headers.GetValues("Content-Disposition").Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Html_and_svg_are_served_as_sandboxed_attachments_whatever_their_name()
    {
        var html = Text("<!DOCTYPE html><html><script>alert(document.cookie)</script></html>");
        var svg = Text("""<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>""");
        var (collection, id, names) = await UploadAsync(File("docs", "page.png", html), File("docs", "image.svg", svg), File("docs", "pic.jpg", svg));

        foreach (var (name, type) in new[] { (names[0], "text/html"), (names[1], "image/svg+xml"), (names[2], "image/svg+xml") })
        {
            using var response = await Guest.GetAsync(FileUrl(collection, id, name));
            Assert.Equal(type, response.Content.Headers.ContentType!.MediaType);
            Assert.StartsWith("attachment;", response.Content.Headers.GetValues("Content-Disposition").Single(), StringComparison.Ordinal);
            Assert.EndsWith("sandbox", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Range_requests_get_206_416_or_the_whole_file()
    {
        var (collection, id, names) = await UploadAsync(File("docs", "digits.txt", Text("0123456789")));
        var url = FileUrl(collection, id, names[0]);

        Assert.Equal(("234", HttpStatusCode.PartialContent, "bytes 2-4/10"), await RangeAsync(url, "bytes=2-4"));
        Assert.Equal(("789", HttpStatusCode.PartialContent, "bytes 7-9/10"), await RangeAsync(url, "bytes=-3"));
        Assert.Equal(("89", HttpStatusCode.PartialContent, "bytes 8-9/10"), await RangeAsync(url, "bytes=8-"));
        Assert.Equal(("", HttpStatusCode.RequestedRangeNotSatisfiable, "bytes */10"), await RangeAsync(url, "bytes=10-"));
        Assert.Equal(("0123456789", HttpStatusCode.OK, null), await RangeAsync(url, "bytes=0-1,4-5"));
    }

    [Fact]
    public async Task Etag_and_last_modified_answer_conditional_requests()
    {
        var (collection, id, names) = await UploadAsync(File("docs", "digits.txt", Text("0123456789")));
        var url = FileUrl(collection, id, names[0]);
        using var first = await Guest.GetAsync(url);
        var etag = first.Headers.ETag!;
        Assert.False(etag.IsWeak);
        var lastModified = first.Content.Headers.LastModified!.Value;

        Assert.Equal(HttpStatusCode.NotModified, await StatusAsync(url, r => r.Headers.IfNoneMatch.Add(etag)));
        Assert.Equal(HttpStatusCode.NotModified, await StatusAsync(url, r => r.Headers.IfModifiedSince = lastModified));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(url, r => r.Headers.IfNoneMatch.Add(new EntityTagHeaderValue("\"other\""))));
        Assert.Equal(HttpStatusCode.PreconditionFailed, await StatusAsync(url, r => r.Headers.IfMatch.Add(new EntityTagHeaderValue("\"other\""))));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(url, r => r.Headers.IfMatch.Add(etag)));

        // If-Range with a stale validator sends the whole file instead of the range.
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(url, r =>
        {
            r.Headers.Range = new RangeHeaderValue(0, 1);
            r.Headers.IfRange = new RangeConditionHeaderValue(new EntityTagHeaderValue("\"stale\""));
        }));
    }

    [Fact]
    public async Task Head_answers_the_headers_without_the_body()
    {
        var (collection, id, names) = await UploadAsync(File("docs", "digits.txt", Text("0123456789")));
        using var request = new HttpRequestMessage(HttpMethod.Head, FileUrl(collection, id, names[0]));
        using var response = await Guest.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(10, response.Content.Headers.ContentLength);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task A_zero_byte_upload_is_stored_and_served_empty()
    {
        var (collection, id, names) = await UploadAsync(File("docs", "empty.bin", []));
        Assert.EndsWith(".bin", names[0], StringComparison.Ordinal);
        using var response = await Guest.GetAsync(FileUrl(collection, id, names[0]));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(0, response.Content.Headers.ContentLength);
    }

    [Theory]
    [InlineData("{c}/{r}/missing_1234567890.txt")]
    [InlineData("nosuchcollection/{r}/{n}")]
    [InlineData("{c}/nosuchrecord1234/{n}")]
    [InlineData("{c}/{r}/..%2F..%2F..%2Fdata.db")]
    [InlineData("{c}/..%2F..%2Fdata.db/x")]
    [InlineData("{c}/{r}/%2Fetc%2Fpasswd")]
    [InlineData("{c}/{r}/.")]
    [InlineData("{c}/{r}/..")]
    public async Task Anything_else_is_a_404_envelope(string path)
    {
        var (collection, id, names) = await UploadAsync(File("docs", "digits.txt", Text("0123456789")));
        var url = "/api/files/" + path.Replace("{c}", collection, StringComparison.Ordinal).Replace("{r}", id, StringComparison.Ordinal).Replace("{n}", names[0], StringComparison.Ordinal);
        var response = await Guest.GetJsonAsync(url);
        AssertError(HttpStatusCode.NotFound, response);
    }

    [Fact]
    public async Task A_file_of_another_field_or_record_is_not_served_under_this_one()
    {
        var (collection, id, names) = await UploadAsync(File("docs", "digits.txt", Text("0123456789")));
        var other = await CreateWithFilesAsync(collection, File("docs", "other.txt", Text("x")));
        AssertError(HttpStatusCode.NotFound, await Guest.GetJsonAsync(FileUrl(collection, other["id"]!.GetValue<string>(), names[0])));
        Assert.Equal(HttpStatusCode.OK, (await Guest.GetAsync(FileUrl(collection, id, names[0]))).StatusCode);
    }

    [Fact]
    public async Task A_view_serves_the_files_of_the_table_records_it_shows()
    {
        var (collection, id, names) = await UploadAsync(File("docs", "digits.txt", Text("0123456789")));
        var view = HttpJson.UniqueName("docsview");
        await CreateCollectionAsync(view, "[]", """{"createRule":null,"updateRule":null,"deleteRule":null}""", "view", $$"""{"viewQuery":"SELECT id, docs FROM {{collection}}"}""");
        var viewed = await ViewAsync(view, id);
        Assert.Equal(names, Names(viewed["docs"]));

        using var response = await Guest.GetAsync(FileUrl(view, id, names[0]));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("0123456789", await response.Content.ReadAsStringAsync());
    }

    private async Task<(string Body, HttpStatusCode Status, string? ContentRange)> RangeAsync(string url, string range)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.TryAddWithoutValidation("Range", range);
        using var response = await Guest.SendAsync(request);
        var body = response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable ? "" : await response.Content.ReadAsStringAsync();
        var contentRange = response.Content.Headers.TryGetValues("Content-Range", out var values) ? values.Single() : null;
        return (body, response.StatusCode, contentRange);
    }

    private async Task<HttpStatusCode> StatusAsync(string url, Action<HttpRequestMessage> configure)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        configure(request);
        using var response = await Guest.SendAsync(request);
        return response.StatusCode;
    }
}

public sealed class FileDownloadSqliteTests(SqliteServerFixture f) : FileDownloadTests(f), IClassFixture<SqliteServerFixture>;

public sealed class FileDownloadPostgresTests(PostgresServerFixture f) : FileDownloadTests(f), IClassFixture<PostgresServerFixture>;

public sealed class FileDownloadSqliteS3Tests(SqliteS3ServerFixture f) : FileDownloadTests(f), IClassFixture<SqliteS3ServerFixture>;

public sealed class FileDownloadPostgresS3Tests(PostgresS3ServerFixture f) : FileDownloadTests(f), IClassFixture<PostgresS3ServerFixture>;
