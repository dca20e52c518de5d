using System.Net;
using Basalt.Tests.Fixtures;

namespace Basalt.Tests.Files;

/// <summary>Files go only after the commit that drops their last reference: record delete, cascade, truncate, collection delete.</summary>
public abstract class FileDeletionTests(BasaltServerFixture fixture) : FilesTestBase(fixture)
{
    private const string Fields = """[{"name":"docs","type":"file","maxSelect":3}]""";

    [Fact]
    public async Task Deleting_a_record_deletes_its_files()
    {
        var (name, id) = await CollectionAsync(Fields);
        var record = await CreateWithFilesAsync(name, File("docs", "first.txt", Text("1")), File("docs", "second.txt", Text("2")));
        var recordId = record["id"]!.GetValue<string>();
        var keep = await CreateWithFilesAsync(name, File("docs", "keep.txt", Text("k")));
        Assert.Equal(2, (await StoredFilesAsync(id, recordId)).Length);

        Assert.Equal(HttpStatusCode.NoContent, (await Superuser.DeleteJsonAsync(Records(name, recordId))).Status);
        Assert.Empty(await StoredKeysAsync($"{id}/{recordId}/"));
        Assert.Single(await StoredFilesAsync(id, keep["id"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_refused_delete_keeps_the_files()
    {
        var (name, id) = await CollectionAsync(Fields);
        var record = await CreateWithFilesAsync(name, File("docs", "first.txt", Text("1")));
        var recordId = record["id"]!.GetValue<string>();
        var holders = HttpJson.UniqueName("holders");
        await CreateCollectionAsync(holders, $$"""[{"name":"ref","type":"relation","collectionId":"{{id}}","maxSelect":1,"required":true}]""");
        await CreateRecordAsync(holders, new { @ref = recordId });

        AssertError(HttpStatusCode.BadRequest, await Superuser.DeleteJsonAsync(Records(name, recordId)));
        Assert.Single(await StoredFilesAsync(id, recordId));
    }

    [Fact]
    public async Task Cascaded_deletes_take_the_files_of_every_deleted_record()
    {
        var (parents, parentsId) = await CollectionAsync(Fields);
        var children = HttpJson.UniqueName("children");
        var childrenId = (await CreateCollectionAsync(children, $$"""[{"name":"parent","type":"relation","collectionId":"{{parentsId}}","maxSelect":1,"cascadeDelete":true},{"name":"docs","type":"file"}]"""))["id"]!.GetValue<string>();
        var parent = await CreateWithFilesAsync(parents, File("docs", "parent.txt", Text("p")));
        var parentId = parent["id"]!.GetValue<string>();
        var (status, child) = await SendFormAsync(Superuser, HttpMethod.Post, Records(children), [File("docs", "child.txt", Text("c"))], ("parent", parentId));
        Assert.Equal(HttpStatusCode.OK, status);
        var childId = child!["id"]!.GetValue<string>();
        Assert.Single(await StoredFilesAsync(childrenId, childId));

        Assert.Equal(HttpStatusCode.NoContent, (await Superuser.DeleteJsonAsync(Records(parents, parentId))).Status);
        Assert.Empty(await StoredFilesAsync(parentsId, parentId));
        Assert.Empty(await StoredFilesAsync(childrenId, childId));
    }

    [Fact]
    public async Task Updates_racing_a_delete_leave_no_file_behind()
    {
        // An update that read the record before a delete committed must not write (and answer 200) after it: its
        // uploads would be referenced by no row. The race is not forced, so several rounds give it room to happen.
        var (name, id) = await CollectionAsync("""[{"name":"docs","type":"file","maxSelect":10}]""");
        for (var round = 0; round < 8; round++)
        {
            var recordId = (await CreateWithFilesAsync(name, File("docs", "first.txt", Text("1"))))["id"]!.GetValue<string>();
            var updates = Enumerable.Range(0, 4)
                .Select(i => SendFormAsync(Superuser, HttpMethod.Patch, Records(name, recordId), [File("docs+", $"u{i}.txt", Text("u"))]))
                .ToList();
            Assert.Equal(HttpStatusCode.NoContent, (await Superuser.DeleteJsonAsync(Records(name, recordId))).Status);
            foreach (var update in updates)
            {
                var (status, body) = await update;
                Assert.True(status is HttpStatusCode.OK or HttpStatusCode.NotFound, $"update racing a delete: {(int)status} {body?.ToJsonString()}");
            }

            Assert.Empty(await StoredFilesAsync(id, recordId));
        }
    }

    [Fact]
    public async Task Truncating_and_deleting_a_collection_delete_its_files()
    {
        var (name, id) = await CollectionAsync(Fields);
        var first = (await CreateWithFilesAsync(name, File("docs", "first.txt", Text("1"))))["id"]!.GetValue<string>();
        var second = (await CreateWithFilesAsync(name, File("docs", "second.txt", Text("2"))))["id"]!.GetValue<string>();

        Assert.Equal(HttpStatusCode.NoContent, (await Superuser.DeleteJsonAsync($"/api/collections/{name}/truncate")).Status);
        Assert.Empty(await StoredFilesAsync(id, first));
        Assert.Empty(await StoredFilesAsync(id, second));

        var third = (await CreateWithFilesAsync(name, File("docs", "third.txt", Text("3"))))["id"]!.GetValue<string>();
        Assert.Single(await StoredFilesAsync(id, third));
        Assert.Equal(HttpStatusCode.NoContent, (await Superuser.DeleteJsonAsync($"/api/collections/{name}")).Status);
        Assert.Empty(await StoredKeysAsync(id + "/"));
    }
}

public sealed class FileDeletionSqliteTests(SqliteServerFixture f) : FileDeletionTests(f), IClassFixture<SqliteServerFixture>;

public sealed class FileDeletionPostgresTests(PostgresServerFixture f) : FileDeletionTests(f), IClassFixture<PostgresServerFixture>;

public sealed class FileDeletionSqliteS3Tests(SqliteS3ServerFixture f) : FileDeletionTests(f), IClassFixture<SqliteS3ServerFixture>;

public sealed class FileDeletionPostgresS3Tests(PostgresS3ServerFixture f) : FileDeletionTests(f), IClassFixture<PostgresS3ServerFixture>;
