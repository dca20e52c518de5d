using System.Text.Json.Nodes;
using Basalt.Model;
using Basalt.Records;
using Record = Basalt.Model.Record;

namespace Basalt.Tests.Records;

public sealed class RecordBodyTests
{
    private static Record NewRecord()
    {
        var collection = FieldTestData.Collection(
            FieldTestData.Field(FieldType.Number, "count"),
            FieldTestData.Field(FieldType.Select, "tags", """{"values":["a","b","c","d"],"maxSelect":5}"""),
            FieldTestData.Field(FieldType.Select, "one", """{"values":["a","b"],"maxSelect":1}"""),
            FieldTestData.Field(FieldType.Text, "slug", """{"autogeneratePattern":"[a-z]{5}"}"""),
            FieldTestData.Field(FieldType.Autodate, "created", """{"onCreate":true}"""));
        collection.Fields.Add(new Field { Id = "secret", Name = "secret", Type = FieldType.Text, Hidden = true });
        var record = new Record(collection);
        foreach (var f in collection.Fields)
        {
            record.Set(f.Name, FieldEmptyValue.Of(f));
        }

        record.Set("count", 10d);
        record.Set("tags", new List<string> { "b" });
        return record;
    }

    private static RecordBody Apply(Record record, string json, bool superuser = false) =>
        RecordBody.Apply(record, (JsonObject)JsonNode.Parse(json)!, superuser);

    [Fact]
    public void Number_modifiers_add_and_subtract()
    {
        var record = NewRecord();
        Apply(record, """{"count+": 5, "count-": 2.5}""");
        Assert.Equal(12.5, record.Get("count"));
    }

    [Fact]
    public void Keys_apply_shortest_first_so_a_set_comes_before_its_modifiers()
    {
        var record = NewRecord();
        var body = Apply(record, """{"tags+": "c", "+tags": ["a"], "tags": ["d"], "tags-": "d"}""");
        Assert.Equal(["a", "c"], (List<string>)record.Get("tags")!);
        Assert.Equal("""["a","c"]""", body.RequestBody["tags"]!.ToJsonString());
    }

    [Fact]
    public void Single_select_keeps_the_last_value()
    {
        var record = NewRecord();
        Apply(record, """{"one": "a", "one+": "b"}""");
        Assert.Equal("b", record.Get("one"));
    }

    [Fact]
    public void Autogenerate_appends_a_random_string_to_the_prefix()
    {
        var record = NewRecord();
        Apply(record, """{"slug:autogenerate": "post-"}""");
        Assert.Matches("^post-[a-z]{5}$", (string)record.Get("slug")!);
    }

    [Fact]
    public void Unknown_read_only_and_hidden_keys_are_ignored_for_non_superusers()
    {
        var record = NewRecord();
        var body = Apply(record, """{"nope": 1, "collectionName": "x", "expand": {}, "created": "2020-01-01", "secret": "s"}""");
        Assert.Empty(body.Changed);
        Assert.Equal("", record.Get("created"));
        Assert.Equal("", record.Get("secret"));
        Assert.Equal(1, body.RequestBody["nope"]!.GetValue<int>());
    }

    [Fact]
    public void Superusers_may_set_hidden_fields()
    {
        var record = NewRecord();
        Apply(record, """{"secret": "s"}""", superuser: true);
        Assert.Equal("s", record.Get("secret"));
    }

    [Fact]
    public void Wrong_types_are_coerced_without_errors()
    {
        var record = NewRecord();
        var body = Apply(record, """{"count": "abc", "tags": {"x": 1}}""");
        Assert.True(body.Errors.IsEmpty);
        Assert.Equal(0d, record.Get("count"));
    }
}
