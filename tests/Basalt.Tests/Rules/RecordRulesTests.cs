using System.Net;
using Basalt.Tests.Fixtures;
using Basalt.Tests.Records;

namespace Basalt.Tests.Rules;

/// <summary>API rules on the records endpoints: null (403, before the lookup), "" (everyone) and expressions (filter, 404, 400).</summary>
public abstract class RecordRulesTests(BasaltServerFixture fixture) : RecordsTestBase(fixture)
{
    private const string Locked = """{"listRule":null,"viewRule":null,"createRule":null,"updateRule":null,"deleteRule":null}""";

    [Fact]
    public async Task Null_rules_are_403_for_everyone_but_superusers_even_for_missing_ids()
    {
        var name = HttpJson.UniqueName("locked");
        await CreateCollectionAsync(name, """[{"name":"title","type":"text"}]""", Locked);
        var id = (await CreateRecordAsync(name, new { title = "x" }))["id"]!.GetValue<string>();
        var (_, _, user) = await CreateSignedInUserAsync();
        foreach (var client in new[] { Guest, user })
        {
            foreach (var response in new[]
            {
                await client.GetJsonAsync(Records(name)),
                await client.GetJsonAsync(Records(name, id)),
                await client.GetJsonAsync(Records(name, "doesnotexist123")),
                await client.PostJsonAsync(Records(name), new { title = "y" }),
                await client.PatchJsonAsync(Records(name, id), new { title = "y" }),
                await client.PatchJsonAsync(Records(name, "doesnotexist123"), new { title = "y" }),
                await client.DeleteJsonAsync(Records(name, id)),
                await client.DeleteJsonAsync(Records(name, "doesnotexist123")),
            })
            {
                AssertError(HttpStatusCode.Forbidden, response);
                Assert.Equal("Only superusers can perform this action.", response.Body!["message"]!.GetValue<string>());
            }
        }

        Assert.Equal("x", (await ViewAsync(name, id))["title"]!.GetValue<string>());
        Assert.Equal(1, await CountAsync(name));
    }

    [Fact]
    public async Task Expression_rules_filter_lists_and_hide_records_as_404()
    {
        var name = HttpJson.UniqueName("public");
        await CreateCollectionAsync(name, """[{"name":"title","type":"text"},{"name":"public","type":"bool"}]""",
            """{"listRule":"public = true","viewRule":"public = true","updateRule":"public = true","deleteRule":"public = true"}""");
        var open = (await CreateRecordAsync(name, new { title = "open", @public = true }))["id"]!.GetValue<string>();
        var closed = (await CreateRecordAsync(name, new { title = "closed", @public = false }))["id"]!.GetValue<string>();

        var (_, list) = await Guest.GetJsonAsync(Records(name));
        Assert.Equal(1, list!["totalItems"]!.GetValue<int>());
        Assert.Equal("open", list["items"]![0]!["title"]!.GetValue<string>());
        var (_, filtered) = await Guest.GetJsonAsync(Records(name, query: "filter=" + Uri.EscapeDataString("title = 'closed'")));
        Assert.Empty(filtered!["items"]!.AsArray());

        Assert.Equal(HttpStatusCode.OK, (await Guest.GetJsonAsync(Records(name, open))).Status);
        AssertError(HttpStatusCode.NotFound, await Guest.GetJsonAsync(Records(name, closed)));
        AssertError(HttpStatusCode.NotFound, await Guest.PatchJsonAsync(Records(name, closed), new { title = "hacked" }));
        AssertError(HttpStatusCode.NotFound, await Guest.DeleteJsonAsync(Records(name, closed)));
        Assert.Equal("closed", (await ViewAsync(name, closed))["title"]!.GetValue<string>());

        var (_, all) = await Superuser.GetJsonAsync(Records(name));
        Assert.Equal(2, all!["totalItems"]!.GetValue<int>());
    }

    [Fact]
    public async Task Update_rule_is_checked_against_the_stored_row_not_the_new_values()
    {
        var name = HttpJson.UniqueName("stored");
        await CreateCollectionAsync(name, """[{"name":"status","type":"text"}]""", """{"updateRule":"status = 'draft'"}""");
        var id = (await CreateRecordAsync(name, new { status = "draft" }))["id"]!.GetValue<string>();
        var (status, _) = await Guest.PatchJsonAsync(Records(name, id), new { status = "published" });
        Assert.Equal(HttpStatusCode.OK, status);
        AssertError(HttpStatusCode.NotFound, await Guest.PatchJsonAsync(Records(name, id), new { status = "draft" }));
    }

    [Fact]
    public async Task A_failing_create_rule_is_400_and_writes_nothing()
    {
        var name = HttpJson.UniqueName("guarded");
        await CreateCollectionAsync(name, """[{"name":"title","type":"text"},{"name":"count","type":"number"}]""",
            """{"createRule":"title != 'forbidden' && count < 10 && @request.body.role:isset = false"}""");
        await CreateRecordAsync(name, new { title = "fine", count = 1 }, Guest);
        foreach (var body in new object[] { new { title = "forbidden" }, new { title = "x", count = 10 }, new { title = "x", role = "admin" } })
        {
            var response = await Guest.PostJsonAsync(Records(name), body);
            AssertError(HttpStatusCode.BadRequest, response);
            Assert.Equal("Failed to create record.", response.Body!["message"]!.GetValue<string>());
            Assert.Equal("{}", response.Body["data"]!.ToJsonString());
        }

        Assert.Equal(1, await CountAsync(name));
        await CreateRecordAsync(name, new { title = "forbidden", count = 50, role = "admin" });
        Assert.Equal(2, await CountAsync(name));
    }

    [Fact]
    public async Task Request_body_rules_see_resolved_modifier_values()
    {
        var name = HttpJson.UniqueName("bodyrule");
        await CreateCollectionAsync(name, """[{"name":"count","type":"number"}]""", """{"updateRule":"@request.body.count <= 10"}""");
        var id = (await CreateRecordAsync(name, new { count = 8 }))["id"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.OK, (await Guest.PatchJsonAsync(Records(name, id), Json("""{"count+":2}""").ToJsonString())).Status);
        AssertError(HttpStatusCode.NotFound, await Guest.PatchJsonAsync(Records(name, id), Json("""{"count+":1}""").ToJsonString()));
        Assert.Equal(10, (await ViewAsync(name, id))["count"]!.GetValue<double>());
    }

    [Fact]
    public async Task Auth_rules_give_owners_their_records()
    {
        var (users, userId, user) = await CreateSignedInUserAsync();
        var usersId = (await Superuser.GetJsonAsync($"/api/collections/{users}")).Body!["id"]!.GetValue<string>();
        var name = HttpJson.UniqueName("owned");
        const string owner = "owner = @request.auth.id";
        await CreateCollectionAsync(name, $$"""[{"name":"title","type":"text"},{"name":"owner","type":"relation","collectionId":"{{usersId}}","maxSelect":1}]""",
            $$"""{"listRule":"{{owner}}","viewRule":"{{owner}}","createRule":"@request.auth.id != '' && @request.body.owner = @request.auth.id","updateRule":"{{owner}}","deleteRule":"{{owner}}"}""");

        AssertError(HttpStatusCode.BadRequest, await Guest.PostJsonAsync(Records(name), new { title = "anon", owner = userId }));
        var mine = await CreateRecordAsync(name, new { title = "mine", owner = userId }, user);
        var other = await CreateRecordAsync(name, new { title = "other" });
        var (_, list) = await user.GetJsonAsync(Records(name));
        Assert.Equal(["mine"], list!["items"]!.AsArray().Select(i => i!["title"]!.GetValue<string>()));
        // a guest's @request.auth.id is "", which equals the empty owner of "other", as in PocketBase
        var (_, guestList) = await Guest.GetJsonAsync(Records(name));
        Assert.Equal(["other"], guestList!["items"]!.AsArray().Select(i => i!["title"]!.GetValue<string>()));
        AssertError(HttpStatusCode.NotFound, await user.GetJsonAsync(Records(name, other["id"]!.GetValue<string>())));
        Assert.Equal(HttpStatusCode.NoContent, (await user.DeleteJsonAsync(Records(name, mine["id"]!.GetValue<string>()))).Status);
    }

    [Fact]
    public async Task Collection_references_in_rules_join_other_collections()
    {
        var (users, userId, user) = await CreateSignedInUserAsync();
        var members = HttpJson.UniqueName("members");
        await CreateCollectionAsync(members, """[{"name":"user","type":"text"},{"name":"room","type":"text"}]""");
        await CreateRecordAsync(members, new { user = userId, room = "blue" });
        var name = HttpJson.UniqueName("rooms");
        await CreateCollectionAsync(name, """[{"name":"room","type":"text"}]""",
            $$"""{"listRule":"@collection.{{members}}.user ?= @request.auth.id && @collection.{{members}}.room ?= room"}""");
        await CreateRecordAsync(name, new { room = "blue" });
        await CreateRecordAsync(name, new { room = "red" });
        var (status, list) = await user.GetJsonAsync(Records(name));
        Assert.True(status == HttpStatusCode.OK, list?.ToJsonString());
        Assert.Equal(["blue"], list!["items"]!.AsArray().Select(i => i!["room"]!.GetValue<string>()));
        Assert.NotEmpty(users);
    }

    [Fact]
    public async Task Clients_other_than_superusers_cannot_filter_by_request_or_collection()
    {
        var name = HttpJson.UniqueName("nofilter");
        await CreateCollectionAsync(name, """[{"name":"title","type":"text"}]""");
        AssertError(HttpStatusCode.Forbidden, await Guest.GetJsonAsync(Records(name, query: "filter=" + Uri.EscapeDataString("@request.method = 'GET'"))));
        AssertError(HttpStatusCode.Forbidden, await Guest.GetJsonAsync(Records(name, query: "filter=" + Uri.EscapeDataString($"@collection.{name}.title = 'x'"))));
        Assert.Equal(HttpStatusCode.OK, (await Superuser.GetJsonAsync(Records(name, query: "filter=" + Uri.EscapeDataString("@request.method = 'GET'")))).Status);
    }
}

public sealed class RecordRulesSqliteTests(SqliteServerFixture f) : RecordRulesTests(f), IClassFixture<SqliteServerFixture>;

public sealed class RecordRulesPostgresTests(PostgresServerFixture f) : RecordRulesTests(f), IClassFixture<PostgresServerFixture>;
