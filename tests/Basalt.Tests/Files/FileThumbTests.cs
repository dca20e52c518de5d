using System.Net;
using Basalt.Common;
using Basalt.Files.Thumbs;
using Basalt.Tests.Fixtures;
using NetVips;

namespace Basalt.Tests.Files;

/// <summary>?thumb= on downloads (§9): listed sizes and the default are made once and stored; anything else serves the original.</summary>
public abstract class FileThumbTests(BasaltServerFixture fixture) : FilesTestBase(fixture)
{
    private const string Fields = """[{"name":"pics","type":"file","maxSelect":9,"thumbs":["50x40","0x30","60x60f"]}]""";

    [Theory]
    [InlineData("50x40", 50, 40)]
    [InlineData("0x30", 45, 30)]
    [InlineData("60x60f", 60, 40)]
    [InlineData("100x100", 100, 100)]
    public async Task A_listed_size_or_the_default_serves_a_thumb_stored_beside_the_file(string thumb, int width, int height)
    {
        var (collectionId, collection, id, name) = await UploadAsync("photo.png", Image(300, 200, ".png"));

        using var response = await Guest.GetAsync(FileUrl(collection, id, name, "thumb=" + thumb));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/png", response.Content.Headers.ContentType!.MediaType);
        using var served = NetVips.Image.NewFromBuffer(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal((width, height), (served.Width, served.Height));
        Assert.True(await IsStoredAsync($"{collectionId}/{id}/thumbs_{name}/{thumb}_{name}"));
    }

    [Theory]
    [InlineData("70x70")]
    [InlineData("50x40t")]
    [InlineData("../50x40")]
    [InlineData("50x40/../../x")]
    [InlineData("99999x1")]
    [InlineData("")]
    public async Task A_size_the_field_does_not_offer_serves_the_original(string thumb)
    {
        var original = Image(300, 200, ".png");
        var (collectionId, collection, id, name) = await UploadAsync("photo.png", original);

        using var response = await Guest.GetAsync(FileUrl(collection, id, name, "thumb=" + Uri.EscapeDataString(thumb)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(original, await response.Content.ReadAsByteArrayAsync());
        Assert.Empty(await StoredKeysAsync($"{collectionId}/{id}/thumbs_{name}/"));
    }

    [Fact]
    public async Task A_file_that_only_claims_to_be_an_image_or_is_broken_serves_the_original()
    {
        var jpeg = Image(300, 200, ".jpg");
        var fake = Text("not an image at all, whatever the name says");
        var (_, collection, id, name) = await UploadAsync("fake.jpg", fake);
        var (_, collection2, id2, name2) = await UploadAsync("broken.jpg", jpeg[..(jpeg.Length / 2)]);

        using var fakeResponse = await Guest.GetAsync(FileUrl(collection, id, name, "thumb=50x40"));
        using var brokenResponse = await Guest.GetAsync(FileUrl(collection2, id2, name2, "thumb=50x40"));

        Assert.Equal(HttpStatusCode.OK, fakeResponse.StatusCode);
        Assert.Equal(fake, await fakeResponse.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.OK, brokenResponse.StatusCode);
        Assert.Equal(jpeg[..(jpeg.Length / 2)], await brokenResponse.Content.ReadAsByteArrayAsync());
        foreach (var (recordId, reason) in new[] { (id, ThumbRefusal.NotAnImage), (id2, ThumbRefusal.Unreadable) })
        {
            var notMade = Assert.Single(Server.Logs.WithId(BasaltEventIds.ThumbNotMade), e => ((string)e["Key"]!).Contains(recordId, StringComparison.Ordinal));
            Assert.Equal(LogLevel.Debug, notMade.Level);
            Assert.Equal(reason, notMade["Reason"]);
        }
    }

    [Fact]
    public async Task A_broken_image_is_decoded_once_not_on_every_request_for_its_thumb()
    {
        var jpeg = Image(300, 200, ".jpg");
        var broken = jpeg[..(jpeg.Length / 2)];
        var (_, collection, id, name) = await UploadAsync("broken.jpg", broken);

        for (var i = 0; i < 3; i++)
        {
            using var response = await Guest.GetAsync(FileUrl(collection, id, name, "thumb=50x40"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(broken, await response.Content.ReadAsByteArrayAsync());
        }

        Assert.Single(Server.Logs.WithId(BasaltEventIds.ThumbNotMade), e => ((string)e["Key"]!).Contains(id, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_thumb_that_cannot_be_stored_serves_the_original_and_logs_a_warning()
    {
        var original = Image(300, 200, ".png");
        var (collectionId, collection, id, name) = await UploadAsync("photo.png", original);

        // A file where the thumbs folder goes (in the data folder, or in the folder s3rver keeps the bucket in), so
        // the store cannot create it: unlike a read-only folder, this stops a server running as root too.
        var thumbsFolder = Server.S3 is { } s3
            ? Path.GetDirectoryName(S3TestServer.ObjectPath(s3.Bucket, $"{collectionId}/{id}/thumbs_{name}/x"))!
            : Path.Combine(Server.DataDir, "storage", collectionId, id, "thumbs_" + name);
        await System.IO.File.WriteAllTextAsync(thumbsFolder, "in the way");

        using var response = await Guest.GetAsync(FileUrl(collection, id, name, "thumb=50x40"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(original, await response.Content.ReadAsByteArrayAsync());
        var failed = Assert.Single(Server.Logs.WithId(BasaltEventIds.ThumbStoreFailed), e => ((string)e["Key"]!).Contains(id, StringComparison.Ordinal));
        Assert.Equal(LogLevel.Warning, failed.Level);
        Assert.NotNull(failed.Exception);
    }

    [Fact]
    public async Task Many_requests_for_one_new_thumb_at_once_all_get_the_same_thumb()
    {
        var (collectionId, collection, id, name) = await UploadAsync("photo.jpg", Image(800, 600, ".jpg"));
        var url = FileUrl(collection, id, name, "thumb=50x40");

        var bodies = await Task.WhenAll(Enumerable.Range(0, 12).Select(async _ =>
        {
            using var response = await Guest.GetAsync(url);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return await response.Content.ReadAsByteArrayAsync();
        }));

        Assert.All(bodies, b => Assert.Equal(bodies[0], b));
        Assert.Single(await StoredKeysAsync($"{collectionId}/{id}/thumbs_{name}/"));
    }

    [Fact]
    public async Task Deleting_the_record_removes_its_thumbs()
    {
        var (collectionId, collection, id, name) = await UploadAsync("photo.png", Image(300, 200, ".png"));
        using (await Guest.GetAsync(FileUrl(collection, id, name, "thumb=50x40")))
        {
        }

        Assert.Single(await StoredKeysAsync($"{collectionId}/{id}/thumbs_{name}/"));
        using var deleted = await Superuser.DeleteAsync($"/api/collections/{collection}/records/{id}");

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Empty(await StoredKeysAsync($"{collectionId}/{id}/thumbs_{name}/"));
    }

    private async Task<(string CollectionId, string Collection, string Id, string Name)> UploadAsync(string fileName, byte[] content)
    {
        var (collection, collectionId) = await CollectionAsync(Fields, """{"viewRule":"","listRule":"","deleteRule":""}""");
        var record = await CreateWithFilesAsync(collection, File("pics", fileName, content));
        return (collectionId, collection, record["id"]!.GetValue<string>(), Names(record["pics"])[0]);
    }

    private static byte[] Image(int width, int height, string format)
    {
        using var x = NetVips.Image.Xyz(width, height);
        using var bands = x[0].Bandjoin(x[1], x[0] + x[1]);
        using var image = bands.Cast(Enums.BandFormat.Uchar).Copy(interpretation: Enums.Interpretation.Srgb);
        return image.WriteToBuffer(format);
    }
}

public sealed class FileThumbSqliteTests(SqliteServerFixture f) : FileThumbTests(f), IClassFixture<SqliteServerFixture>;

public sealed class FileThumbPostgresTests(PostgresServerFixture f) : FileThumbTests(f), IClassFixture<PostgresServerFixture>;

public sealed class FileThumbSqliteS3Tests(SqliteS3ServerFixture f) : FileThumbTests(f), IClassFixture<SqliteS3ServerFixture>;

public sealed class FileThumbPostgresS3Tests(PostgresS3ServerFixture f) : FileThumbTests(f), IClassFixture<PostgresS3ServerFixture>;
