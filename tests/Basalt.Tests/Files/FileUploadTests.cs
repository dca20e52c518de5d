using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Basalt.Tests.Fixtures;

namespace Basalt.Tests.Files;

/// <summary>File fields through multipart create and update (§4.6, §9): names, order, modifiers, clearing and the field checks.</summary>
public abstract partial class FileUploadTests(BasaltServerFixture fixture) : FilesTestBase(fixture)
{
    private const string Fields = """
        [{"name":"title","type":"text"},
         {"name":"one","type":"file","maxSelect":1,"maxSize":100},
         {"name":"docs","type":"file","maxSelect":4},
         {"name":"imgs","type":"file","maxSelect":2,"mimeTypes":["image/png"]}]
        """;

    [Fact]
    public async Task Uploads_get_safe_unique_names_and_keep_the_submitted_order()
    {
        var (name, id) = await CollectionAsync(Fields);
        var record = await CreateWithFilesAsync(
            name,
            File("docs", "My Photo.TXT", Text("hello")),
            File("docs", "../../etc/passwd", Text("root")),
            File("docs", "ÄÖü naïve  file--name.tar.GZ", Text("x")),
            File("docs", "ab", Text("plain text")));
        var docs = Names(record["docs"]);
        Assert.Equal(4, docs.Count);
        Assert.Matches(NamePattern("my_photo", ".txt"), docs[0]);
        Assert.Matches(NamePattern("passwd", ".txt"), docs[1]);
        Assert.Matches(NamePattern("na_ve_file_name", ".tar.gz"), docs[2]);
        Assert.Matches(@"^ab[a-z0-9]{10}_[a-z0-9]{10}\.txt$", docs[3]);
        var recordId = record["id"]!.GetValue<string>();
        Assert.Equal(docs.Order(StringComparer.Ordinal), await StoredFilesAsync(id, recordId));
        Assert.Equal("root", System.Text.Encoding.UTF8.GetString((await ReadStoredAsync($"{id}/{recordId}/{docs[1]}"))!));

        var again = await CreateWithFilesAsync(name, File("docs", "My Photo.TXT", Text("hello")));
        Assert.NotEqual(docs[0], Names(again["docs"])[0]);
    }

    [Fact]
    public async Task A_single_file_field_keeps_the_last_upload_and_stores_only_it()
    {
        var (name, id) = await CollectionAsync(Fields);
        var record = await CreateWithFilesAsync(name, File("one", "first.txt", Text("1")), File("one", "second.txt", Text("2")));
        var one = record["one"]!.GetValue<string>();
        Assert.StartsWith("second_", one, StringComparison.Ordinal);
        Assert.Equal([one], await StoredFilesAsync(id, record["id"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Modifiers_append_prepend_and_remove_by_name()
    {
        var (name, id) = await CollectionAsync(Fields);
        var record = await CreateWithFilesAsync(name, File("docs", "a.txt", Text("a")), File("docs", "b.txt", Text("b")));
        var recordId = record["id"]!.GetValue<string>();
        var (a, b) = (Names(record["docs"])[0], Names(record["docs"])[1]);

        var appended = Names((await UpdateWithFilesAsync(name, recordId, [File("docs+", "third.txt", Text("c"))]))["docs"]);
        Assert.Equal([a, b], appended.Take(2));
        Assert.StartsWith("third_", appended[2], StringComparison.Ordinal);

        var prepended = Names((await UpdateWithFilesAsync(name, recordId, [File("+docs", "zero.txt", Text("z"))]))["docs"]);
        Assert.StartsWith("zero_", prepended[0], StringComparison.Ordinal);
        Assert.Equal(appended, prepended.Skip(1));

        var (status, json) = await Superuser.PatchJsonAsync(Records(name, recordId), new JsonObject { ["docs-"] = new JsonArray(a, prepended[0]) }.ToJsonString());
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal([b, appended[2]], Names(json!["docs"]));
        Assert.Equal(new[] { b, appended[2] }.Order(StringComparer.Ordinal), await StoredFilesAsync(id, recordId));
    }

    [Fact]
    public async Task Files_under_the_plain_key_replace_the_value_but_keep_the_names_sent_with_them()
    {
        var (name, id) = await CollectionAsync(Fields);
        var record = await CreateWithFilesAsync(name, File("docs", "a.txt", Text("a")), File("docs", "b.txt", Text("b")));
        var recordId = record["id"]!.GetValue<string>();
        var (a, b) = (Names(record["docs"])[0], Names(record["docs"])[1]);

        var kept = Names((await UpdateWithFilesAsync(name, recordId, [File("docs", "third.txt", Text("c"))], ("docs", b)))["docs"]);
        Assert.Equal(b, kept[0]);
        Assert.StartsWith("third_", kept[1], StringComparison.Ordinal);
        Assert.False(await IsStoredAsync($"{id}/{recordId}/{a}"), "the file the update dropped is deleted");

        var replaced = Names((await UpdateWithFilesAsync(name, recordId, [File("docs", "d.txt", Text("d"))]))["docs"]);
        Assert.Single(replaced);
        Assert.Equal(replaced, await StoredFilesAsync(id, recordId));
    }

    [Theory]
    [InlineData("null")]
    [InlineData("\"\"")]
    [InlineData("[]")]
    public async Task Clearing_a_file_field_deletes_its_files_after_the_commit(string empty)
    {
        var (name, id) = await CollectionAsync(Fields);
        var record = await CreateWithFilesAsync(name, File("docs", "a.txt", Text("a")), File("one", "b.txt", Text("b")));
        var recordId = record["id"]!.GetValue<string>();

        var (status, json) = await Superuser.PatchJsonAsync(Records(name, recordId), $$"""{"docs":{{empty}},"one":{{empty}}}""");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("[]", json!["docs"]!.ToJsonString());
        Assert.Equal("", json["one"]!.GetValue<string>());
        Assert.Empty(await StoredFilesAsync(id, recordId));
    }

    [Fact]
    public async Task A_replaced_single_file_is_deleted()
    {
        var (name, id) = await CollectionAsync(Fields);
        var record = await CreateWithFilesAsync(name, File("one", "a.txt", Text("a")));
        var recordId = record["id"]!.GetValue<string>();
        var updated = await UpdateWithFilesAsync(name, recordId, [File("one", "b.txt", Text("b"))]);
        Assert.Equal([updated["one"]!.GetValue<string>()], await StoredFilesAsync(id, recordId));
    }

    [Fact]
    public async Task Json_payload_values_go_with_the_files()
    {
        var (name, _) = await CollectionAsync(Fields);
        var (status, json) = await SendFormAsync(
            Superuser, HttpMethod.Post, Records(name), [File("docs", "a.txt", Text("a"))], ("@jsonPayload", """{"title":"from payload"}"""));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("from payload", json!["title"]!.GetValue<string>());
        Assert.Single(Names(json["docs"]));
    }

    [Fact]
    public async Task Field_checks_give_pocketbase_error_codes_and_store_nothing()
    {
        var (name, id) = await CollectionAsync(Fields);

        var tooBig = await SendFormAsync(Superuser, HttpMethod.Post, Records(name), [File("one", "big.bin", new byte[101])]);
        AssertError(HttpStatusCode.BadRequest, tooBig, "one", "validation_file_size_limit");
        Assert.Equal(100, tooBig.Body!["data"]!["one"]!["params"]!["maxSize"]!.GetValue<int>());

        var tooMany = await SendFormAsync(Superuser, HttpMethod.Post, Records(name), Enumerable.Range(0, 5).Select(i => File("docs", $"f{i}.txt", Text("x"))));
        AssertError(HttpStatusCode.BadRequest, tooMany, "docs", "validation_too_many_files");

        var mislabelled = await SendFormAsync(Superuser, HttpMethod.Post, Records(name), [File("imgs", "photo.png", Text("not an image at all"))]);
        AssertError(HttpStatusCode.BadRequest, mislabelled, "imgs", "validation_invalid_mime_type");

        var unknownName = await Superuser.PostJsonAsync(Records(name), """{"docs":["somebody_elses_1234567890.txt"]}""");
        AssertError(HttpStatusCode.BadRequest, unknownName, "docs", "validation_invalid_file");

        Assert.True((await StoredKeysAsync(id + "/")).Count == 0, "refused writes store no file");
        var png = await CreateWithFilesAsync(name, File("imgs", "renamed.txt", Png));
        Assert.EndsWith(".txt", Names(png["imgs"])[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_write_that_fails_after_the_files_were_stored_leaves_no_orphan()
    {
        var name = HttpJson.UniqueName("files");
        var id = (await CreateCollectionAsync(name, Fields, extra: $$"""{"indexes":["CREATE UNIQUE INDEX idx_{{name}}_title ON {{name}} (title)"]}"""))["id"]!.GetValue<string>();
        await CreateRecordAsync(name, new { title = "taken" });

        var duplicate = await SendFormAsync(Superuser, HttpMethod.Post, Records(name), [File("docs", "a.txt", Text("a"))], ("title", "taken"));
        AssertError(HttpStatusCode.BadRequest, duplicate, "title", "validation_not_unique");
        Assert.True((await StoredKeysAsync(id + "/")).Count == 0, "the stored upload was discarded");

        var other = await CreateRecordAsync(name, new { title = "other" });
        var otherId = other["id"]!.GetValue<string>();
        var update = await SendFormAsync(Superuser, HttpMethod.Patch, Records(name, otherId), [File("docs", "b.txt", Text("b"))], ("title", "taken"));
        AssertError(HttpStatusCode.BadRequest, update, "title", "validation_not_unique");
        Assert.Empty(await StoredFilesAsync(id, otherId));
    }

    [Fact]
    public async Task Hidden_file_fields_take_no_upload_from_non_superusers()
    {
        var (name, id) = await CollectionAsync("""[{"name":"secret","type":"file","hidden":true},{"name":"title","type":"text"}]""");
        var (status, json) = await SendFormAsync(Guest, HttpMethod.Post, Records(name), [File("secret", "a.txt", Text("a"))], ("title", "t"));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Empty(await StoredFilesAsync(id, json!["id"]!.GetValue<string>()));
    }

    private static Regex NamePattern(string stem, string extension) => new("^" + Regex.Escape(stem) + "_[a-z0-9]{10}" + Regex.Escape(extension) + "$");
}

public sealed class FileUploadSqliteTests(SqliteServerFixture f) : FileUploadTests(f), IClassFixture<SqliteServerFixture>;

public sealed class FileUploadPostgresTests(PostgresServerFixture f) : FileUploadTests(f), IClassFixture<PostgresServerFixture>;

public sealed class FileUploadSqliteS3Tests(SqliteS3ServerFixture f) : FileUploadTests(f), IClassFixture<SqliteS3ServerFixture>;

public sealed class FileUploadPostgresS3Tests(PostgresS3ServerFixture f) : FileUploadTests(f), IClassFixture<PostgresS3ServerFixture>;
