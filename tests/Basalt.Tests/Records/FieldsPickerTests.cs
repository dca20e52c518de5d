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
}
