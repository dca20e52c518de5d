using System.Net;
using System.Text.Json.Nodes;
using Basalt.Tests.Fixtures;

namespace Basalt.Tests.Dashboard;

/// <summary>
/// The rule editor's routes: <c>POST /api/collections/meta/check</c> compiles rules and filters with the real compiler
/// (against saved and unsaved collections, with positions for syntax errors), <c>GET /api/collections/meta/fields</c>
/// lists the names for autocomplete, and a collection named "meta" keeps its own routes.
/// </summary>
public abstract class ExpressionCheckTests(BasaltServerFixture server)
{
    [Theory]
    [InlineData("rule", "title != '' && n > 2")]
    [InlineData("rule", "@request.auth.id != '' && @collection._superusers.email ?= 'x'")]
    [InlineData("filter", "title ~ 'abc' || tags ?= 'a'")]
    [InlineData("rule", "")]
    [InlineData("filter", "n > @day || @request.auth.id != ''")]
    public async Task A_valid_expression_answers_valid(string kind, string expression)
    {
        var name = await DashboardKit.CreateItemsAsync(server);

        var (status, body) = await server.Superuser.PostJsonAsync("/api/collections/meta/check", new { collection = name, kind, expression });

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(body!["valid"]!.GetValue<bool>(), body.ToJsonString());
    }

    [Theory]
    [InlineData("nope = 1", "unknown field nope", 0)]
    [InlineData("title = 'a' && missing > 2", "unknown field missing", 15)]
    [InlineData("title = ", "unexpected end of expression", 8)]
    [InlineData("title = 'open", "unterminated text", 8)]
    [InlineData("(title = 'a'", "expected ')'", 12)]
    [InlineData("title # 'a'", "expected an operator", 6)]
    public async Task An_invalid_expression_answers_why_and_where(string expression, string message, int? position)
    {
        var name = await DashboardKit.CreateItemsAsync(server);

        var (status, body) = await server.Superuser.PostJsonAsync("/api/collections/meta/check", new { collection = name, kind = "rule", expression });

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.False(body!["valid"]!.GetValue<bool>());
        Assert.Contains(message, body["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(position, body["position"]?.GetValue<int>());
    }

    [Fact]
    public async Task A_filter_longer_than_the_client_limit_is_invalid_but_the_same_rule_is_not()
    {
        var name = await DashboardKit.CreateItemsAsync(server);
        var expression = string.Join(" || ", Enumerable.Repeat("title = 'abcdefghij'", 200));

        var (_, filter) = await server.Superuser.PostJsonAsync("/api/collections/meta/check", new { collection = name, kind = "filter", expression });
        var (_, rule) = await server.Superuser.PostJsonAsync("/api/collections/meta/check", new { collection = name, kind = "rule", expression });

        Assert.False(filter!["valid"]!.GetValue<bool>());
        Assert.True(rule!["valid"]!.GetValue<bool>(), rule.ToJsonString());
    }

    [Fact]
    public async Task An_unsaved_collection_object_is_checked_with_its_own_fields()
    {
        var draft = new JsonObject
        {
            ["name"] = HttpJson.UniqueName("draft"),
            ["type"] = "base",
            ["fields"] = new JsonArray(new JsonObject { ["name"] = "price", ["type"] = "number" }),
        };

        var (_, ok) = await server.Superuser.PostJsonAsync("/api/collections/meta/check", new JsonObject { ["collection"] = draft.DeepClone(), ["kind"] = "rule", ["expression"] = "price > 5" }.ToJsonString());
        var (_, unknown) = await server.Superuser.PostJsonAsync("/api/collections/meta/check", new JsonObject { ["collection"] = draft.DeepClone(), ["kind"] = "rule", ["expression"] = "title = 'a'" }.ToJsonString());
        var (stored, _) = await server.Superuser.GetJsonAsync("/api/collections/" + draft["name"]!.GetValue<string>());

        Assert.True(ok!["valid"]!.GetValue<bool>(), ok.ToJsonString());
        Assert.False(unknown!["valid"]!.GetValue<bool>());
        Assert.Equal(HttpStatusCode.NotFound, stored);
    }

    [Fact]
    public async Task Fields_lists_fields_relations_request_collections_macros_and_modifiers()
    {
        var authors = await DashboardKit.CreateItemsAsync(server);
        var (_, authorsJson) = await server.Superuser.GetJsonAsync("/api/collections/" + authors);
        var posts = HttpJson.UniqueName("posts");
        var (created, _) = await server.Superuser.PostJsonAsync("/api/collections", new JsonObject
        {
            ["name"] = posts,
            ["type"] = "base",
            ["fields"] = new JsonArray(
                new JsonObject { ["name"] = "headline", ["type"] = "text" },
                new JsonObject { ["name"] = "author", ["type"] = "relation", ["collectionId"] = authorsJson!["id"]!.GetValue<string>(), ["maxSelect"] = 1 }),
        }.ToJsonString());

        var (status, names) = await server.Superuser.GetJsonAsync("/api/collections/meta/fields?collection=" + posts);

        Assert.Equal(HttpStatusCode.OK, created);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("headline", Strings(names!["fields"]));
        Assert.Contains("author.title", Strings(names["relations"]));
        Assert.Contains("@request.body.headline", Strings(names["request"]));
        Assert.Contains("@request.auth.email", Strings(names["request"]));
        Assert.Contains("@collection." + authors, Strings(names["collections"]));
        Assert.Contains("@todayStart", Strings(names["macros"]));
        Assert.Contains(":isset", Strings(names["modifiers"]));
    }

    [Fact]
    public async Task A_collection_named_meta_keeps_its_routes_beside_the_checks()
    {
        var (existing, _) = await server.Superuser.GetJsonAsync("/api/collections/meta");
        if (existing != HttpStatusCode.OK)
        {
            await DashboardKit.CreateItemsAsync(server, "meta");
        }

        var (view, collection) = await server.Superuser.GetJsonAsync("/api/collections/meta");
        var (imported, _) = await server.Superuser.PostJsonAsync("/api/collections/meta/import", """[{"title": "in meta"}]""");
        var (list, records) = await server.Superuser.GetJsonAsync("/api/collections/meta/records");
        var (check, checkBody) = await server.Superuser.PostJsonAsync("/api/collections/meta/check", new { collection = "meta", kind = "rule", expression = "title != ''" });
        var (fields, fieldsBody) = await server.Superuser.GetJsonAsync("/api/collections/meta/fields?collection=meta");
        using var export = await server.Superuser.GetAsync("/api/collections/meta/export");

        Assert.Equal(HttpStatusCode.OK, view);
        Assert.Equal("meta", collection!["name"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, imported);
        Assert.Equal(HttpStatusCode.OK, list);
        Assert.True(records!["totalItems"]!.GetValue<int>() >= 1);
        Assert.Equal(HttpStatusCode.OK, check);
        Assert.True(checkBody!["valid"]!.GetValue<bool>());
        Assert.Equal(HttpStatusCode.OK, fields);
        Assert.Contains("title", Strings(fieldsBody!["fields"]));
        Assert.Equal(HttpStatusCode.OK, export.StatusCode);
    }

    public static TheoryData<string, HttpStatusCode> BadChecks => new()
    {
        { """{"kind": "rule", "expression": "1 = 1"}""", HttpStatusCode.BadRequest },
        { """{"collection": "_superusers", "kind": "sort", "expression": "1 = 1"}""", HttpStatusCode.BadRequest },
        { """{"collection": "_superusers", "expression": "1 = 1"}""", HttpStatusCode.BadRequest },
        { """{"collection": "no_such_collection", "kind": "rule", "expression": "1 = 1"}""", HttpStatusCode.NotFound },
        { """{"collection": 5, "kind": "rule", "expression": "1 = 1"}""", HttpStatusCode.BadRequest },
        { """{"collection": {"name": "x", "fields": "not a list"}, "kind": "rule", "expression": "1 = 1"}""", HttpStatusCode.BadRequest },
        { """{"collection": "_superusers", "kind": "rule", "expression": 5}""", HttpStatusCode.BadRequest },
        { "{broken", HttpStatusCode.BadRequest },
    };

    [Theory]
    [MemberData(nameof(BadChecks))]
    public async Task Bad_check_requests_are_4xx_envelopes(string json, HttpStatusCode expected)
    {
        var (status, body) = await server.Superuser.PostJsonAsync("/api/collections/meta/check", json);

        Assert.Equal(expected, status);
        Assert.Equal((int)expected, body!["status"]!.GetValue<int>());
    }

    [Fact]
    public async Task Non_superusers_are_refused_and_an_unknown_collection_is_404()
    {
        using var user = server.NewClient(await DashboardKit.SignUpUserAsync(server));

        var (guest, _) = await server.Guest.PostJsonAsync("/api/collections/meta/check", new { collection = "_superusers", kind = "rule", expression = "" });
        var (signedIn, _) = await user.GetJsonAsync("/api/collections/meta/fields?collection=_superusers");
        var (missing, _) = await server.Superuser.GetJsonAsync("/api/collections/meta/fields?collection=no_such_collection");

        Assert.Equal(HttpStatusCode.Unauthorized, guest);
        Assert.Equal(HttpStatusCode.Forbidden, signedIn);
        Assert.Equal(HttpStatusCode.NotFound, missing);
    }

    private static List<string> Strings(JsonNode? array) => array!.AsArray().Select(n => n!.GetValue<string>()).ToList();

    [Fact]
    public async Task A_rule_of_deeply_nested_groups_is_refused_not_a_stack_overflow()
    {
        var name = await DashboardKit.CreateItemsAsync(server);
        var expression = new string('(', 200_000) + "title = 'a'" + new string(')', 200_000);

        var (status, body) = await server.Superuser.PostJsonAsync("/api/collections/meta/check", new { collection = name, kind = "rule", expression });
        var (fine, _) = await server.Superuser.PostJsonAsync("/api/collections/meta/check", new { collection = name, kind = "rule", expression = "((title = 'a'))" });

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.False(body!["valid"]!.GetValue<bool>());
        Assert.Contains("nested deeper", body["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, fine);
    }
}

public sealed class ExpressionCheckSqliteTests(SqliteServerFixture f) : ExpressionCheckTests(f), IClassFixture<SqliteServerFixture>;

public sealed class ExpressionCheckPostgresTests(PostgresServerFixture f) : ExpressionCheckTests(f), IClassFixture<PostgresServerFixture>;
