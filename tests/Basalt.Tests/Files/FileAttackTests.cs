using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Basalt.Hosting;
using Basalt.Tests.Fixtures;

namespace Basalt.Tests.Files;

/// <summary>Hostile uploads: bodies past the record limit, floods of parts, and names that try to leave their folder.</summary>
public abstract class FileAttackTests(BasaltServerFixture fixture) : FilesTestBase(fixture)
{
    /// <summary>The fixtures' default body limit (64 KiB); a record body may add what its file fields allow.</summary>
    public const long SmallBodyLimit = 64 << 10;

    [Fact]
    public async Task A_body_past_the_record_limit_is_413_declared_or_chunked()
    {
        var (name, id) = await CollectionAsync("""[{"name":"doc","type":"file","maxSize":1000}]""");
        var big = new byte[SmallBodyLimit + 2000];

        var declared = await SendFormAsync(Superuser, HttpMethod.Post, Records(name), [File("doc", "big.bin", big)]);
        AssertError(HttpStatusCode.RequestEntityTooLarge, declared);

        using var chunked = new HttpRequestMessage(HttpMethod.Post, Records(name)) { Content = ChunkedForm("doc", "big.bin", big) };
        using var response = await Superuser.SendAsync(chunked);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Empty(await StoredKeysAsync(id + "/"));

        // Within the limit the collection's fields allow (64 KiB + 1000), a file over maxSize is a field error.
        var overField = await SendFormAsync(Superuser, HttpMethod.Post, Records(name), [File("doc", "mid.bin", new byte[5000])]);
        AssertError(HttpStatusCode.BadRequest, overField, "doc", "validation_file_size_limit");
    }

    [Fact]
    public async Task A_collection_with_large_file_fields_accepts_bodies_past_the_default_limit()
    {
        var (name, id) = await CollectionAsync("""[{"name":"doc","type":"file","maxSize":200000}]""");
        var record = await CreateWithFilesAsync(name, File("doc", "large.bin", new byte[150_000]));
        var stored = await ReadStoredAsync($"{id}/{record["id"]!.GetValue<string>()}/{record["doc"]!.GetValue<string>()}");
        Assert.Equal(150_000, stored!.Length);

        var json = await Superuser.PostJsonAsync("/api/collections/" + name + "/records", "{\"pad\":\"" + new string('x', (int)SmallBodyLimit) + "\"}");
        AssertError(HttpStatusCode.RequestEntityTooLarge, json);
    }

    [Fact]
    public async Task A_collection_whose_field_limits_add_up_past_a_long_still_takes_uploads()
    {
        // The largest maxSize an option takes (10^15 - 1) times 10,000 files is past long.MaxValue: the body limit
        // saturates instead of wrapping to a negative part limit that refused every upload.
        var (name, id) = await CollectionAsync("""[{"name":"docs","type":"file","maxSelect":10000,"maxSize":999999999999999}]""");

        var record = await CreateWithFilesAsync(name, File("docs", "a.txt", Text("a")));

        Assert.Single(await StoredFilesAsync(id, record["id"]!.GetValue<string>()));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Ten_thousand_parts_are_refused_without_storing_anything(bool asFiles)
    {
        var (name, id) = await CollectionAsync("""[{"name":"docs","type":"file","maxSelect":99},{"name":"title","type":"text"}]""");
        using var form = new MultipartFormDataContent();
        for (var i = 0; i < 10_000; i++)
        {
            if (asFiles)
            {
                form.Add(new ByteArrayContent([(byte)'x']), "docs", "f.txt");
            }
            else
            {
                form.Add(new StringContent("x"), "title");
            }
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, Records(name)) { Content = form };
        using var response = await Superuser.SendAsync(request);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith("{\"status\":400", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(await StoredKeysAsync(id + "/"));
    }

    [Theory]
    [InlineData("../../../../data.db", "data_")]
    [InlineData("..\\..\\evil.sh", "evil_")]
    [InlineData("/etc/cron.d/job", "job_")]
    [InlineData("....", "")]
    [InlineData(".htaccess", "")]
    public async Task File_names_never_leave_the_record_folder(string fileName, string prefix)
    {
        var (name, id) = await CollectionAsync("""[{"name":"doc","type":"file"}]""");
        var record = await CreateWithFilesAsync(name, File("doc", fileName, Text("payload")));
        var stored = record["doc"]!.GetValue<string>();
        Assert.StartsWith(prefix, stored, StringComparison.Ordinal);
        Assert.DoesNotContain('/', stored);
        Assert.DoesNotContain('\\', stored);
        Assert.NotEqual('.', stored[0]);
        Assert.Equal([stored], await StoredFilesAsync(id, record["id"]!.GetValue<string>()));
        Assert.DoesNotContain(await StoredKeysAsync(""), key => key.Split('/').Length < 3);
    }

    [Theory]
    [InlineData("a", 300)]
    [InlineData("é", 200)]
    public async Task An_id_no_folder_can_be_named_after_refuses_uploads_with_400(string letter, int length)
    {
        // A superuser may loosen the id field: 300 characters, or 200 that take 400 bytes, are valid ids but no
        // file system folder name (255 bytes).
        var (name, id) = await CollectionAsync("""
            [{"name":"id","type":"text","primaryKey":true,"required":true,"system":true,"min":1,"max":400,"pattern":"^[a-zé]+$","autogeneratePattern":"[a-z]{15}"},
             {"name":"doc","type":"file"}]
            """);
        var longId = string.Concat(Enumerable.Repeat(letter, length));

        var created = await SendFormAsync(Superuser, HttpMethod.Post, Records(name), [File("doc", "a.txt", Text("a"))], ("id", longId));
        AssertError(HttpStatusCode.BadRequest, created, "id", "validation_invalid_value");
        Assert.False(Directory.Exists(Path.Combine(Server.DataDir, "storage", id)));

        await CreateRecordAsync(name, new { id = longId });
        var updated = await SendFormAsync(Superuser, HttpMethod.Patch, Records(name, longId), [File("doc", "a.txt", Text("a"))]);
        AssertError(HttpStatusCode.BadRequest, updated, "id", "validation_invalid_value");
        Assert.False(Directory.Exists(Path.Combine(Server.DataDir, "storage", id)));
    }

    private static StreamContent ChunkedForm(string key, string fileName, byte[] content)
    {
        var boundary = "basalt" + Guid.NewGuid().ToString("N");
        var head = Encoding.ASCII.GetBytes($"--{boundary}\r\nContent-Disposition: form-data; name=\"{key}\"; filename=\"{fileName}\"\r\nContent-Type: application/octet-stream\r\n\r\n");
        var tail = Encoding.ASCII.GetBytes($"\r\n--{boundary}--\r\n");
        var stream = new MemoryStream([.. head, .. content, .. tail]);
        var body = new StreamContent(new NoLengthStream(stream));
        body.Headers.ContentType = MediaTypeHeaderValue.Parse($"multipart/form-data; boundary={boundary}");
        return body;
    }

    /// <summary>Hides the length so HttpClient sends the body chunked.</summary>
    private sealed class NoLengthStream(Stream inner) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}

/// <summary>A server whose default body limit is 64 KiB, so limits are tested without megabytes of traffic.</summary>
public abstract class SmallBodyFixture : BasaltServerFixture
{
    protected override void Configure(BasaltOptions options) => options.MaxBodySize = FileAttackTests.SmallBodyLimit;
}

public sealed class SmallBodySqliteFixture : SmallBodyFixture
{
    protected override StorageKind Kind => StorageKind.Sqlite;
}

public sealed class SmallBodyPostgresFixture : SmallBodyFixture
{
    protected override StorageKind Kind => StorageKind.Postgres;
}

public sealed class SmallBodySqliteS3Fixture : SmallBodyFixture
{
    protected override StorageKind Kind => StorageKind.Sqlite;

    protected override bool OnS3 => true;
}

public sealed class SmallBodyPostgresS3Fixture : SmallBodyFixture
{
    protected override StorageKind Kind => StorageKind.Postgres;

    protected override bool OnS3 => true;
}

public sealed class FileAttackSqliteTests(SmallBodySqliteFixture f) : FileAttackTests(f), IClassFixture<SmallBodySqliteFixture>;

public sealed class FileAttackPostgresTests(SmallBodyPostgresFixture f) : FileAttackTests(f), IClassFixture<SmallBodyPostgresFixture>;

public sealed class FileAttackSqliteS3Tests(SmallBodySqliteS3Fixture f) : FileAttackTests(f), IClassFixture<SmallBodySqliteS3Fixture>;

public sealed class FileAttackPostgresS3Tests(SmallBodyPostgresS3Fixture f) : FileAttackTests(f), IClassFixture<SmallBodyPostgresS3Fixture>;
