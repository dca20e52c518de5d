using System.Text;
using System.Text.Json.Nodes;
using Basalt.Client;
using Basalt.Client.Files;
using Basalt.Tests.Fixtures;
using NetVips;

namespace Basalt.Tests.Client;

/// <summary>Uploads (multipart with <c>@jsonPayload</c>), file URLs with thumbs, and protected files with a file token, through the .NET client.</summary>
public abstract class ClientFilesTests(BasaltServerFixture server)
{
    [Fact]
    public async Task Upload_append_thumb_and_download()
    {
        await using var admin = await ClientKit.SuperuserAsync(server);
        var name = await ClientKit.CreatePostsAsync(admin, "files", new JsonObject
        {
            ["fields"] = new JsonArray(
                new JsonObject { ["name"] = "title", ["type"] = "text" },
                new JsonObject { ["name"] = "tags", ["type"] = "select", ["values"] = new JsonArray("a", "b"), ["maxSelect"] = 2 },
                new JsonObject { ["name"] = "docs", ["type"] = "file", ["maxSelect"] = 3, ["thumbs"] = new JsonArray("40x30") }),
        });
        var files = admin.Collection(name);
        var png = Png(80, 60);

        var record = await files.CreateAsync(
            new JsonObject { ["title"] = "with files", ["tags"] = new JsonArray("a", "b") },
            [new FileUpload("docs", "photo.png", png, "image/png"), new FileUpload("docs", "notes.txt", Encoding.UTF8.GetBytes("hello"))]);
        var updated = await files.UpdateAsync(ClientKit.Id(record), new JsonObject(), [new FileUpload("docs+", "more.txt", Encoding.UTF8.GetBytes("more"))]);
        var docs = updated["docs"]!.AsArray().Select(d => d!.GetValue<string>()).ToList();
        var photo = docs.Single(d => d.StartsWith("photo_", StringComparison.Ordinal));
        var thumb = await admin.Files.DownloadAsync(updated, photo, new FileUrlOptions { Thumb = "40x30" });
        var text = await admin.Files.DownloadAsync(updated, docs.Single(d => d.StartsWith("notes_", StringComparison.Ordinal)));
        var url = admin.Files.GetUrl(updated, photo, new FileUrlOptions { Thumb = "40x30", Download = true });

        Assert.Equal("with files", record["title"]!.GetValue<string>());
        Assert.Equal(["a", "b"], record["tags"]!.AsArray().Select(t => t!.GetValue<string>()));
        Assert.Equal(3, docs.Count);
        using (var image = Image.NewFromBuffer(thumb))
        {
            Assert.Equal((40, 30), (image.Width, image.Height));
        }

        Assert.Equal("hello", Encoding.UTF8.GetString(text));
        Assert.Equal($"/api/files/{updated["collectionId"]}/{updated["id"]}/{photo}", url.AbsolutePath);
        Assert.Equal("?thumb=40x30&download=1", url.Query);
    }

    [Fact]
    public async Task A_protected_file_needs_a_file_token()
    {
        await using var admin = await ClientKit.SuperuserAsync(server);
        var name = await ClientKit.CreatePostsAsync(admin, "secret", new JsonObject
        {
            ["viewRule"] = "@request.auth.id != ''",
            ["fields"] = new JsonArray(new JsonObject { ["name"] = "doc", ["type"] = "file", ["maxSelect"] = 1, ["protected"] = true }),
        });
        var record = await admin.Collection(name).CreateAsync(new JsonObject(), [new FileUpload("doc", "secret.txt", Encoding.UTF8.GetBytes("classified"))]);
        var file = record["doc"]!.GetValue<string>();

        await using var guest = ClientKit.Guest(server);
        var refused = await Assert.ThrowsAsync<ClientResponseException>(() => guest.Files.DownloadAsync(record, file));
        var token = await admin.Files.GetTokenAsync();
        var bytes = await guest.Files.DownloadAsync(record, file, new FileUrlOptions { Token = token });

        Assert.Equal(404, refused.Status);
        Assert.Equal("classified", Encoding.UTF8.GetString(bytes));
    }

    private static byte[] Png(int width, int height)
    {
        using var x = Image.Xyz(width, height);
        using var bands = x[0].Bandjoin(x[1], x[0] + x[1]);
        using var image = bands.Cast(Enums.BandFormat.Uchar).Copy(interpretation: Enums.Interpretation.Srgb);
        return image.WriteToBuffer(".png");
    }
}

public sealed class ClientFilesSqliteTests(SqliteServerFixture f) : ClientFilesTests(f), IClassFixture<SqliteServerFixture>;

public sealed class ClientFilesPostgresTests(PostgresServerFixture f) : ClientFilesTests(f), IClassFixture<PostgresServerFixture>;
