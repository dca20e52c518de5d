using System.Text.Json.Nodes;
using Basalt.Collections;
using Basalt.Errors;
using Basalt.Model;

namespace Basalt.Tests.Collections;

public sealed class CollectionModelTests
{
    [Fact]
    public void Default_collection_id_is_pbc_plus_crc32_of_type_and_name()
    {
        Assert.Equal("pbc_3142635823", CollectionIds.ForCollection("auth", "_superusers", _ => false));
        Assert.Equal("pbc_31426358232", CollectionIds.ForCollection("auth", "_superusers", id => id == "pbc_3142635823"));
    }

    [Fact]
    public void Default_field_id_is_type_plus_crc32_of_name()
    {
        Assert.Equal("text3208210256", CollectionIds.ForField("text", "id", _ => false));
        Assert.Equal("text3208210256", CollectionScaffolds.IdField().Id);
    }

    [Fact]
    public void Superusers_scaffold_matches_the_reference()
    {
        var c = CollectionScaffolds.Superusers();
        Assert.Equal("pbc_3142635823", c.Id);
        Assert.True(c.System);
        Assert.Null(c.ListRule);
        Assert.Equal(["id", "password", "tokenKey", "email", "emailVisibility", "verified", "created", "updated"], c.Fields.Select(f => f.Name));
        Assert.Equal(86400, c.Options["authToken"]!["duration"]!.GetValue<int>());
        Assert.Equal(2, c.Indexes.Count);
    }

    [Fact]
    public void Public_json_never_contains_secrets()
    {
        var c = CollectionScaffolds.For(CollectionType.Auth, "members");
        c.Options["oauth2"]!["providers"] = new JsonArray(new JsonObject { ["name"] = "google", ["clientId"] = "x", ["clientSecret"] = "shh" });
        var text = CollectionJson.Write(c).ToJsonString();
        Assert.DoesNotContain("secret", text, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("\"authToken\":{\"duration\":432000}", text, StringComparison.Ordinal);
        Assert.Contains("secret", CollectionJson.Write(c, includeSecrets: true).ToJsonString(), StringComparison.Ordinal);
    }

    public static TheoryData<string, string> WrongTypes => new()
    {
        { """{"name":5}""", "name" },
        { """{"listRule":true}""", "listRule" },
        { """{"fields":"x"}""", "fields" },
        { """{"fields":[5]}""", "fields.0" },
        { """{"fields":[{"name":"a","type":"text","max":"10"}]}""", "fields.0.max" },
        { """{"fields":[{"name":"a","type":"text","max":1.5}]}""", "fields.0.max" },
        { """{"fields":[{"name":"a","type":"select","values":[1]}]}""", "fields.0.values" },
        { """{"fields":[{"name":"a","type":"number","min":"1"}]}""", "fields.0.min" },
        { """{"fields":[{"name":"a","type":"bool","hidden":"yes"}]}""", "fields.0.hidden" },
        { """{"indexes":[1]}""", "indexes" },
        { """{"type":"auth","authToken":{"duration":"x"}}""", "authToken.duration" },
        { """{"type":"auth","passwordAuth":"x"}""", "passwordAuth" },
    };

    [Theory]
    [MemberData(nameof(WrongTypes))]
    public void Reading_wrong_json_types_names_the_key(string json, string path)
    {
        var errors = new NestedErrors();
        CollectionJson.Read((JsonObject)JsonNode.Parse(json)!, errors);
        Assert.True(errors.Has(path), errors.ToJson().ToJsonString());
    }

    [Fact]
    public void Reading_ignores_unknown_keys_and_fills_option_defaults()
    {
        var errors = new NestedErrors();
        var c = CollectionJson.Read((JsonObject)JsonNode.Parse("""{"name":"x","bogus":1,"fields":[{"name":"t","type":"text","zzz":true}]}""")!, errors);
        Assert.True(errors.IsEmpty);
        Assert.Equal(0, c.Fields[0].GetNumber("max"));
        Assert.False(c.Fields[0].Options.ContainsKey("zzz"));
    }

    public static TheoryData<string, string[]> GoodViews => new()
    {
        { "SELECT id, title FROM posts", ["id:text", "title:json"] },
        { "select p.id, count(p.id) as total, CAST(p.n AS INTEGER) n2, CAST(p.n AS TEXT) AS s, (p.a || 'x') AS other from posts p;", ["id:text", "total:number", "n2:number", "s:text", "other:json"] },
        { "SELECT a.id AS id, b.name AS bname FROM a JOIN b ON b.id = a.b WHERE a.x = 'DROP'", ["id:text", "bname:json"] },
    };

    [Theory]
    [MemberData(nameof(GoodViews))]
    public void View_fields_are_derived_from_the_select_list(string query, string[] expected)
    {
        var fields = ViewQuery.DeriveFields(query, new CollectionCache(), out var error);
        Assert.Null(error);
        Assert.Equal(expected, fields!.Select(f => f.Name + ":" + f.Type));
    }

    [Fact]
    public void View_column_straight_from_a_collection_keeps_the_field_type()
    {
        var posts = CollectionScaffolds.For(CollectionType.Base, "posts");
        posts.Id = "p1";
        posts.Fields.Add(FieldOptions.NewField(FieldType.Number, "views"));
        posts.Fields.Add(FieldOptions.NewField(FieldType.Bool, "done"));
        var lookup = new CollectionOverlay([], [posts]);
        var fields = ViewQuery.DeriveFields("SELECT p.id, p.views, done AS finished FROM Posts AS p", lookup, out _);
        Assert.Equal(["id:text", "views:number", "finished:bool"], fields!.Select(f => f.Name + ":" + f.Type));
    }

    [Theory]
    [InlineData("")]
    [InlineData("SELECT * FROM posts")]
    [InlineData("SELECT p.* FROM posts p")]
    [InlineData("SELECT title FROM posts")]
    [InlineData("SELECT id FROM posts; DROP TABLE posts")]
    [InlineData("SELECT id FROM posts;; SELECT 1")]
    [InlineData("DELETE FROM posts")]
    [InlineData("INSERT INTO posts (id) VALUES ('x')")]
    [InlineData("PRAGMA table_info(posts)")]
    [InlineData("ATTACH DATABASE 'x' AS y")]
    [InlineData("WITH d AS (DELETE FROM posts RETURNING id) SELECT id FROM d")]
    [InlineData("SELECT id INTO copy FROM posts")]
    [InlineData("SELECT id, load_extension('x') AS e FROM posts")]
    [InlineData("SELECT id, pg_read_file('/etc/passwd') AS f FROM posts")]
    [InlineData("SELECT id, $$'$$ AS x FROM posts")]
    [InlineData("SELECT id, E'\\'' AS x FROM posts")]
    [InlineData("SELECT id, 'unterminated FROM posts")]
    [InlineData("SELECT id, title || 'x' FROM posts")]
    [InlineData("SELECT id, id FROM posts")]
    [InlineData("SELECT id, (1 AS x FROM posts")]
    public void Bad_view_queries_are_rejected(string query)
    {
        Assert.Null(ViewQuery.DeriveFields(query, new CollectionCache(), out var error));
        Assert.NotNull(error);
    }

    [Theory]
    [InlineData("SELECT id, \"pg_read_file\"('/etc/passwd') AS f FROM posts", "pg_read_file")]
    [InlineData("SELECT id, \"load_extension\"('x') AS e FROM posts", "load_extension")]
    [InlineData("SELECT id, \"set_config\"('a.b', 'c', false) AS e FROM posts", "set_config")]
    public void A_quoted_function_name_is_refused_as_the_bare_one_is(string query, string function)
    {
        var posts = CollectionScaffolds.For(CollectionType.Base, "posts");
        posts.Id = "p1";
        posts.Fields.Add(FieldOptions.NewField(FieldType.Number, "views"));
        var lookup = new CollectionOverlay([], [posts]);
        Assert.NotNull(ViewQuery.DeriveFields("SELECT id, \"views\" AS v FROM posts", lookup, out _));

        Assert.Null(ViewQuery.DeriveFields(query, lookup, out var error));
        Assert.Contains(function, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Referenced_tables_are_found_after_from_and_join()
    {
        Assert.Equal(["a", "b", "c"], ViewQuery.ReferencedTables("SELECT a.id FROM a LEFT JOIN b ON b.x = a.y, c WHERE a.z IN (SELECT 1)"));
    }
}
