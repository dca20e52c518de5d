using System.Text.Json.Nodes;
using Basalt.Errors;
using Basalt.Records;

namespace Basalt.Tests.Records;

public sealed class FieldsPickerTests
{
    private const string Record = """{"id":"r1","title":"T","body":"<p>Hello <b>big</b>   world</p><script>x()</script>","expand":{"author":{"id":"a1","name":"N","email":"e"},"tags":[{"id":"t1","name":"x"},{"id":"t2","name":"y"}]}}""";

    private static string Pick(string fields, string json = Record) =>
        FieldsPicker.Parse(fields)!.Apply(JsonNode.Parse(json))!.ToJsonString();

    [Theory]
    [InlineData("id,title", """{"id":"r1","title":"T"}""")]
    [InlineData("id,expand.author.name", """{"id":"r1","expand":{"author":{"name":"N"}}}""")]
    [InlineData("expand.tags.name", """{"expand":{"tags":[{"name":"x"},{"name":"y"}]}}""")]
    [InlineData("id,missing", """{"id":"r1"}""")]
    [InlineData("body:excerpt(9)", """{"body":"Hello big"}""")]
    [InlineData("body:excerpt(9, true)", """{"body":"Hello big..."}""")]
    [InlineData("body:excerpt(100,true)", """{"body":"Hello big world"}""")]
    public void Picks_paths(string fields, string expected) => Assert.Equal(expected, Pick(fields));

    [Fact]
    public void Star_keeps_every_key_of_its_level()
    {
        var result = JsonNode.Parse(Pick("*,body:excerpt(5),expand.author.id"))!;
        Assert.Equal("r1", result["id"]!.GetValue<string>());
        Assert.Equal("Hello", result["body"]!.GetValue<string>());
        Assert.Equal("""{"author":{"id":"a1"}}""", result["expand"]!.ToJsonString());
    }

    [Fact]
    public void List_results_are_picked_inside_items()
    {
        var list = """{"page":1,"perPage":30,"totalItems":1,"totalPages":1,"items":[{"id":"x","title":"y"}]}""";
        Assert.Equal("""{"page":1,"perPage":30,"totalItems":1,"totalPages":1,"items":[{"id":"x"}]}""", Pick("id", list));
    }

    [Theory]
    [InlineData("id:nope")]
    [InlineData("body:excerpt(0)")]
    [InlineData("body:excerpt(abc)")]
    [InlineData("body:excerpt(5,maybe)")]
    [InlineData("a..b")]
    public void Bad_syntax_is_a_400_naming_fields(string fields)
    {
        var e = Assert.Throws<ApiError>(() => FieldsPicker.Parse(fields));
        Assert.Equal(400, e.Status);
        Assert.True(e.Data.ContainsKey("fields"));
    }

    [Fact]
    public void Blank_means_everything() => Assert.Null(FieldsPicker.Parse(" "));

    public static TheoryData<string, string> StreamingCases()
    {
        const string list = """{"page":1,"perPage":30,"totalItems":2,"totalPages":1,"items":[{"id":"x","title":"y","n":1.50,"o":{"a":[1,{"b":null}]}},{"id":"z","title":"<\u0026>"}]}""";
        const string odd = """{"*":{"a":1},"items":{"page":2},"page":3,"e":"\u00e9\ud83d\ude00","nothing":null,"deep":{"a":{"b":{"c":[true,false]}}}}""";
        var data = new TheoryData<string, string>();
        foreach (var json in new[] { Record, list, odd, "[" + Record + "," + Record + "]", "\"text\"", "42", "null" })
        {
            foreach (var fields in new[]
            {
                "id", "id,title", "*", "*,body:excerpt(5)", "*,expand.author.id", "expand", "expand.author", "expand.tags.name",
                "expand.tags.name,expand", "expand.tags,expand.tags.name", "body:excerpt(9, true)", "title:excerpt(2)", "nothing:excerpt(3)",
                "missing", "*.a", "o.a.b", "o.a", "deep.a.b.c", "deep.*", "e,page", "items.page", "expand.author.*,id", "n,o:excerpt(20)",
            })
            {
                data.Add(fields, json);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(StreamingCases))]
    public void Writing_picked_json_gives_what_picking_the_document_gives(string fields, string json)
    {
        // As the serializer writes it: the writer's own escaping, which a copy keeps and a document writes again.
        json = Canonical(json);
        var picker = FieldsPicker.Parse(fields)!;
        var node = picker.Apply(JsonNode.Parse(json));
        var expected = Canonical(node is null ? "null" : node.ToJsonString());

        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new System.Text.Json.Utf8JsonWriter(buffer))
        {
            picker.WriteTo(System.Text.Encoding.UTF8.GetBytes(json), writer);
        }

        Assert.Equal(expected, System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    /// <summary>The same JSON, keys in the same order, with every string escaped as <see cref="System.Text.Json.Utf8JsonWriter"/> escapes it.</summary>
    private static string Canonical(string json)
    {
        var reader = new System.Text.Json.Utf8JsonReader(System.Text.Encoding.UTF8.GetBytes(json));
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new System.Text.Json.Utf8JsonWriter(buffer))
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case System.Text.Json.JsonTokenType.StartObject: writer.WriteStartObject(); break;
                    case System.Text.Json.JsonTokenType.EndObject: writer.WriteEndObject(); break;
                    case System.Text.Json.JsonTokenType.StartArray: writer.WriteStartArray(); break;
                    case System.Text.Json.JsonTokenType.EndArray: writer.WriteEndArray(); break;
                    case System.Text.Json.JsonTokenType.PropertyName: writer.WritePropertyName(reader.GetString()!); break;
                    case System.Text.Json.JsonTokenType.String: writer.WriteStringValue(reader.GetString()); break;
                    default: writer.WriteRawValue(reader.ValueSpan); break;
                }
            }
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
