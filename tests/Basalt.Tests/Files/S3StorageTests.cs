using System.Net;
using System.Text.Json.Nodes;
using Amazon.S3.Model;
using Basalt.Files;
using Basalt.Tests.Fixtures;

namespace Basalt.Tests.Files;

/// <summary>
/// What is particular to S3 storage, seen from outside Basalt through a plain client of the bucket: where uploads go,
/// what an object carries, that a switch of the settings applies to the next operation, and that a download never
/// trusts a type the bucket claims.
/// </summary>
public abstract class S3StorageTests(BasaltServerFixture fixture) : FilesTestBase(fixture)
{
    private const string Fields = """[{"name":"docs","type":"file","maxSelect":5}]""";

    private Basalt.Settings.S3Settings S3 => Server.S3 ?? throw new InvalidOperationException("an S3 fixture");

    [Fact]
    public async Task Uploads_are_objects_of_the_bucket_under_collection_record_name_and_not_in_the_data_folder()
    {
        var (name, id) = await CollectionAsync(Fields);
        var record = await CreateWithFilesAsync(name, File("docs", "notes.txt", Text("hello s3")), File("docs", "pic.png", Png));
        var recordId = record["id"]!.GetValue<string>();
        var names = Names(record["docs"]);

        using var client = S3TestServer.Client(S3);
        var listed = await client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = S3.Bucket, Prefix = id + "/" });
        Assert.Equal(names.Select(n => $"{id}/{recordId}/{n}").Order(StringComparer.Ordinal), listed.S3Objects.Select(o => o.Key).Order(StringComparer.Ordinal));

        using var text = await client.GetObjectAsync(S3.Bucket, $"{id}/{recordId}/{names[0]}");
        using var reader = new StreamReader(text.ResponseStream);
        Assert.Equal("hello s3", await reader.ReadToEndAsync());
        Assert.Equal("text/plain; charset=utf-8", text.Metadata[S3FileStorage.TypeMetadata]);
        var png = await client.GetObjectMetadataAsync(S3.Bucket, $"{id}/{recordId}/{names[1]}");
        Assert.Equal("image/png", png.Headers.ContentType);
        Assert.Equal("image/png", png.Metadata[S3FileStorage.TypeMetadata]);

        Assert.False(Directory.Exists(Path.Combine(Server.DataDir, "storage", id)), "nothing is written to the data folder");
    }

    [Fact]
    public async Task A_download_sniffs_an_object_that_lacks_basalts_type_whatever_the_bucket_claims()
    {
        var (name, id) = await CollectionAsync(Fields);
        var record = await CreateWithFilesAsync(name, File("docs", "pic.png", Png));
        var recordId = record["id"]!.GetValue<string>();
        var stored = Names(record["docs"])[0];

        // Replaced from outside (a copy from another tool, a hostile bucket user): HTML under a PNG's name and type.
        using var client = S3TestServer.Client(S3);
        await client.PutObjectAsync(new PutObjectRequest
        {
            BucketName = S3.Bucket,
            Key = $"{id}/{recordId}/{stored}",
            ContentBody = "<!DOCTYPE html><html><script>alert(1)</script></html>",
            ContentType = "image/png",
            UseChunkEncoding = false,
        });

        using var response = await Guest.GetAsync(FileUrl(name, recordId, stored));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType!.MediaType);
        Assert.StartsWith("attachment;", response.Content.Headers.GetValues("Content-Disposition").Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Turning_s3_off_and_on_switches_the_storage_of_the_next_operations()
    {
        var (name, id) = await CollectionAsync(Fields);
        var inBucket = await CreateWithFilesAsync(name, File("docs", "bucket.txt", Text("in the bucket")));
        var bucketUrl = FileUrl(name, inBucket["id"]!.GetValue<string>(), Names(inBucket["docs"])[0]);
        try
        {
            var (off, _) = await Superuser.PatchJsonAsync("/api/settings", """{"s3":{"enabled":false}}""");
            Assert.Equal(HttpStatusCode.OK, off);
            var local = await CreateWithFilesAsync(name, File("docs", "local.txt", Text("on disk")));
            var localId = local["id"]!.GetValue<string>();
            var localName = Names(local["docs"])[0];
            Assert.True(System.IO.File.Exists(Path.Combine(Server.DataDir, "storage", id, localId, localName)));
            Assert.Equal("on disk", await Guest.GetStringAsync(FileUrl(name, localId, localName)));

            // Files stay where they were written, as in PocketBase: the bucket's file is not found on disk.
            Assert.Equal(HttpStatusCode.NotFound, (await Guest.GetJsonAsync(bucketUrl)).Status);
        }
        finally
        {
            var (on, _) = await Superuser.PatchJsonAsync("/api/settings", new JsonObject { ["s3"] = new JsonObject { ["enabled"] = true } });
            Assert.Equal(HttpStatusCode.OK, on);
        }

        Assert.Equal("in the bucket", await Guest.GetStringAsync(bucketUrl));
        var again = await CreateWithFilesAsync(name, File("docs", "again.txt", Text("back in the bucket")));
        using var client = S3TestServer.Client(S3);
        var key = $"{id}/{again["id"]!.GetValue<string>()}/{Names(again["docs"])[0]}";
        Assert.Equal(key, (await client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = S3.Bucket, Prefix = key })).S3Objects.Single().Key);
    }

    [Fact]
    public async Task Deleting_a_collection_removes_every_object_under_its_prefix_past_one_listing_page()
    {
        var (name, id) = await CollectionAsync(Fields);
        var record = await CreateWithFilesAsync(name, File("docs", "a.txt", Text("a")));
        var recordId = record["id"]!.GetValue<string>();

        // More objects than one ListObjectsV2 page (1,000) and one DeleteObjects request (1,000) hold.
        using var client = S3TestServer.Client(S3);
        await Parallel.ForEachAsync(Enumerable.Range(0, 1_050), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
            await client.PutObjectAsync(new PutObjectRequest { BucketName = S3.Bucket, Key = $"{id}/{recordId}/thumbs_x/{i}_x", ContentBody = "t", UseChunkEncoding = false }, ct));
        Assert.Equal(1_051, (await StoredKeysAsync(id + "/")).Count);

        Assert.Equal(HttpStatusCode.NoContent, (await Superuser.DeleteJsonAsync($"/api/collections/{name}")).Status);

        Assert.Empty(await StoredKeysAsync(id + "/"));
    }
}

public sealed class S3StorageSqliteTests(SqliteS3ServerFixture f) : S3StorageTests(f), IClassFixture<SqliteS3ServerFixture>;

public sealed class S3StoragePostgresTests(PostgresS3ServerFixture f) : S3StorageTests(f), IClassFixture<PostgresS3ServerFixture>;
