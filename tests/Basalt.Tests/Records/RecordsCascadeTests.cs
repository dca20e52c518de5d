using System.Net;
using Basalt.Tests.Fixtures;

namespace Basalt.Tests.Records;

/// <summary>Delete cascade (§4.5): cascadeDelete removes referencing records, required references refuse, others lose the id.</summary>
public abstract class RecordsCascadeTests(BasaltServerFixture fixture) : RecordsTestBase(fixture)
{
    private async Task<(string Name, string Id)> ParentAsync()
    {
        var name = HttpJson.UniqueName("parents");
        var id = (await CreateCollectionAsync(name, """[{"name":"title","type":"text"}]"""))["id"]!.GetValue<string>();
        return (name, id);
    }

    [Fact]
    public async Task Cascade_delete_removes_referencing_records_recursively()
    {
        var (parents, parentsId) = await ParentAsync();
        var children = HttpJson.UniqueName("children");
        var childrenId = (await CreateCollectionAsync(children, $$"""[{"name":"parent","type":"relation","collectionId":"{{parentsId}}","maxSelect":1,"cascadeDelete":true}]"""))["id"]!.GetValue<string>();
        var grand = HttpJson.UniqueName("grand");
        await CreateCollectionAsync(grand, $$"""[{"name":"child","type":"relation","collectionId":"{{childrenId}}","maxSelect":3,"cascadeDelete":true}]""");
        var parent = (await CreateRecordAsync(parents, new { title = "p" }))["id"]!.GetValue<string>();
        var keep = (await CreateRecordAsync(parents, new { title = "keep" }))["id"]!.GetValue<string>();
        var child = (await CreateRecordAsync(children, new { parent }))["id"]!.GetValue<string>();
        var otherChild = (await CreateRecordAsync(children, new { parent = keep }))["id"]!.GetValue<string>();
        await CreateRecordAsync(grand, new { child = new[] { child } });
        var mixed = (await CreateRecordAsync(grand, new { child = new[] { child, otherChild } }))["id"]!.GetValue<string>();

        Assert.Equal(HttpStatusCode.NoContent, (await Guest.DeleteJsonAsync(Records(parents, parent))).Status);
        Assert.Equal(1, await CountAsync(parents));
        Assert.Equal(1, await CountAsync(children));
        Assert.Equal(1, await CountAsync(grand));
        Assert.Equal($"""["{otherChild}"]""", (await ViewAsync(grand, mixed))["child"]!.ToJsonString());
    }

    [Fact]
    public async Task A_required_reference_refuses_the_delete_and_changes_nothing()
    {
        var (parents, parentsId) = await ParentAsync();
        var optional = HttpJson.UniqueName("optional");
        await CreateCollectionAsync(optional, $$"""[{"name":"parent","type":"relation","collectionId":"{{parentsId}}","maxSelect":1}]""");
        var required = HttpJson.UniqueName("required");
        await CreateCollectionAsync(required, $$"""[{"name":"parents","type":"relation","collectionId":"{{parentsId}}","maxSelect":5,"required":true}]""");
        var parent = (await CreateRecordAsync(parents, new { title = "p" }))["id"]!.GetValue<string>();
        var loose = (await CreateRecordAsync(optional, new { parent }))["id"]!.GetValue<string>();
        await CreateRecordAsync(required, new { parents = new[] { parent } });

        var response = await Guest.DeleteJsonAsync(Records(parents, parent));
        AssertError(HttpStatusCode.BadRequest, response);
        Assert.Equal("Failed to delete record. Make sure that the record is not part of a required relation reference.", response.Body!["message"]!.GetValue<string>());
        Assert.Equal(1, await CountAsync(parents));
        Assert.Equal(parent, (await ViewAsync(optional, loose))["parent"]!.GetValue<string>());
    }

    [Fact]
    public async Task Plain_references_lose_the_id_and_keep_the_rest()
    {
        var (parents, parentsId) = await ParentAsync();
        var refs = HttpJson.UniqueName("refs");
        await CreateCollectionAsync(refs, $$"""[{"name":"one","type":"relation","collectionId":"{{parentsId}}","maxSelect":1},{"name":"many","type":"relation","collectionId":"{{parentsId}}","maxSelect":5}]""");
        var a = (await CreateRecordAsync(parents, new { title = "a" }))["id"]!.GetValue<string>();
        var b = (await CreateRecordAsync(parents, new { title = "b" }))["id"]!.GetValue<string>();
        var r = (await CreateRecordAsync(refs, new { one = a, many = new[] { a, b } }))["id"]!.GetValue<string>();

        Assert.Equal(HttpStatusCode.NoContent, (await Superuser.DeleteJsonAsync(Records(parents, a))).Status);
        var after = await ViewAsync(refs, r);
        Assert.Equal("", after["one"]!.GetValue<string>());
        Assert.Equal($"""["{b}"]""", after["many"]!.ToJsonString());
    }

    [Fact]
    public async Task Truncate_applies_the_same_cascade()
    {
        var (parents, parentsId) = await ParentAsync();
        var children = HttpJson.UniqueName("kids");
        await CreateCollectionAsync(children, $$"""[{"name":"parent","type":"relation","collectionId":"{{parentsId}}","maxSelect":1,"cascadeDelete":true}]""");
        for (var i = 0; i < 3; i++)
        {
            var parent = (await CreateRecordAsync(parents, new { title = "p" + i }))["id"]!.GetValue<string>();
            await CreateRecordAsync(children, new { parent });
        }

        var (status, _) = await Superuser.DeleteJsonAsync($"/api/collections/{parents}/truncate");
        Assert.Equal(HttpStatusCode.NoContent, status);
        Assert.Equal(0, await CountAsync(parents));
        Assert.Equal(0, await CountAsync(children));
    }

    [Fact]
    public async Task Missing_relation_ids_are_refused_on_write()
    {
        var (_, parentsId) = await ParentAsync();
        var refs = HttpJson.UniqueName("dangling");
        await CreateCollectionAsync(refs, $$"""[{"name":"many","type":"relation","collectionId":"{{parentsId}}","maxSelect":5}]""");
        AssertError(HttpStatusCode.BadRequest, await Guest.PostJsonAsync(Records(refs), Json("""{"many":["doesnotexist123"]}""").ToJsonString()), "many", "validation_missing_rel_records");
        Assert.Equal(0, await CountAsync(refs));
    }

    [Fact]
    public async Task Missing_relation_ids_are_reported_beside_other_field_errors()
    {
        var (_, parentsId) = await ParentAsync();
        var refs = HttpJson.UniqueName("dangling");
        await CreateCollectionAsync(refs, $$"""[{"name":"title","type":"text","required":true},{"name":"one","type":"relation","collectionId":"{{parentsId}}","maxSelect":1}]""");
        var created = await Guest.PostJsonAsync(Records(refs), Json("""{"title":"","one":"doesnotexist123"}""").ToJsonString());
        AssertError(HttpStatusCode.BadRequest, created, "title", "validation_required");
        AssertError(HttpStatusCode.BadRequest, created, "one", "validation_missing_rel_records");
        Assert.Equal(0, await CountAsync(refs));

        var id = (await CreateRecordAsync(refs, new { title = "ok" }))["id"]!.GetValue<string>();
        var updated = await Guest.PatchJsonAsync(Records(refs, id), Json("""{"title":"","one":"doesnotexist123"}""").ToJsonString());
        AssertError(HttpStatusCode.BadRequest, updated, "title", "validation_required");
        AssertError(HttpStatusCode.BadRequest, updated, "one", "validation_missing_rel_records");
    }
}

public sealed class RecordsCascadeSqliteTests(SqliteServerFixture f) : RecordsCascadeTests(f), IClassFixture<SqliteServerFixture>;

public sealed class RecordsCascadePostgresTests(PostgresServerFixture f) : RecordsCascadeTests(f), IClassFixture<PostgresServerFixture>;
