using System.Text.Json.Nodes;
using Basalt.Model;
using Basalt.Records.Fields;

namespace Basalt.Tests.Records;

public sealed class FieldValuesTests
{
    [Theory]
    [InlineData(FieldType.Text, "\"hi\"", "hi")]
    [InlineData(FieldType.Text, "12.5", "12.5")]
    [InlineData(FieldType.Text, "true", "true")]
    [InlineData(FieldType.Text, "null", "")]
    [InlineData(FieldType.Email, "\"a@b.co\"", "a@b.co")]
    [InlineData(FieldType.Date, "\"2024-01-02 03:04:05Z\"", "2024-01-02 03:04:05.000Z")]
    [InlineData(FieldType.Date, "\"2024-01-02T03:04:05.678+01:00\"", "2024-01-02 02:04:05.678Z")]
    [InlineData(FieldType.Date, "\"2024-01-02\"", "2024-01-02 00:00:00.000Z")]
    [InlineData(FieldType.Date, "\"\"", "")]
    [InlineData(FieldType.Select, "[\"a\",\"b\"]", "b")]
    [InlineData(FieldType.Relation, "\"abc\"", "abc")]
    public void Normalizes_text_like_values(string type, string json, string expected)
    {
        var value = FieldValues.Normalize(FieldTestData.Field(type), JsonNode.Parse(json), out var issue);
        Assert.Null(issue);
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("12", 12d)]
    [InlineData("\"12.5\"", 12.5)]
    [InlineData("\"\"", 0d)]
    [InlineData("null", 0d)]
    [InlineData("true", 1d)]
    public void Normalizes_numbers(string json, double expected)
    {
        Assert.Equal(expected, FieldValues.Normalize(FieldTestData.Field(FieldType.Number), JsonNode.Parse(json), out var issue));
        Assert.Null(issue);
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("\"true\"", true)]
    [InlineData("\"1\"", true)]
    [InlineData("1", true)]
    [InlineData("\"false\"", false)]
    [InlineData("\"\"", false)]
    [InlineData("null", false)]
    public void Normalizes_bools(string json, bool expected)
    {
        Assert.Equal(expected, FieldValues.Normalize(FieldTestData.Field(FieldType.Bool), JsonNode.Parse(json), out var issue));
        Assert.Null(issue);
    }

    [Theory]
    [InlineData(FieldType.Text, "{\"a\":1}", "")]
    [InlineData(FieldType.Text, "[1]", "")]
    [InlineData(FieldType.Text, "1e21", "1000000000000000000000")]
    [InlineData(FieldType.Text, "-1.5e-7", "-0.00000015")]
    [InlineData(FieldType.Number, "\"abc\"", 0d)]
    [InlineData(FieldType.Number, "\" 5\"", 0d)]
    [InlineData(FieldType.Number, "[1]", 0d)]
    [InlineData(FieldType.Bool, "\"maybe\"", false)]
    [InlineData(FieldType.Bool, "\"tRuE\"", false)]
    [InlineData(FieldType.Bool, "\"T\"", true)]
    [InlineData(FieldType.Date, "\"not a date\"", "")]
    [InlineData(FieldType.Date, "{}", "")]
    [InlineData(FieldType.Date, "1700000000", "")]
    [InlineData(FieldType.Select, "{\"a\":1}", "")]
    [InlineData(FieldType.Relation, "[[\"a\"]]", "")]
    public void Coerces_wrong_types_as_go_casts_do(string type, string json, object expected)
    {
        Assert.Equal(expected, FieldValues.Normalize(FieldTestData.Field(type), JsonNode.Parse(json), out var issue));
        Assert.Null(issue);
    }

    [Theory]
    [InlineData("\"nowhere\"")]
    [InlineData("{\"lon\":\"x\"}")]
    public void Reports_geo_points_that_are_not_points(string json)
    {
        FieldValues.Normalize(FieldTestData.Field(FieldType.GeoPoint), JsonNode.Parse(json), out var issue);
        Assert.NotNull(issue);
    }

    [Theory]
    [InlineData("\"a\"", "[\"a\"]")]
    [InlineData("[\"a\",\"b\",\"a\"]", "[\"a\",\"b\"]")]
    [InlineData("\"[\\\"x\\\",\\\"y\\\"]\"", "[\"x\",\"y\"]")]
    [InlineData("\"\"", "[]")]
    [InlineData("null", "[]")]
    public void Multiple_values_become_unique_lists(string json, string expected)
    {
        var field = FieldTestData.Field(FieldType.Select, options: """{"maxSelect":5,"values":["a","b","x","y"]}""");
        var value = (List<string>)FieldValues.Normalize(field, JsonNode.Parse(json), out _)!;
        Assert.Equal(expected, new JsonArray(value.Select(v => (JsonNode?)v).ToArray()).ToJsonString());
    }

    [Theory]
    [InlineData("\"true\"", "true")]
    [InlineData("\"null\"", null)]
    [InlineData("\"12\"", "12")]
    [InlineData("\"[1,2]\"", "[1,2]")]
    [InlineData("\"{\\\"a\\\":1}\"", "{\"a\":1}")]
    [InlineData("\"hello\"", "\"hello\"")]
    [InlineData("\"\"", "\"\"")]
    [InlineData("\"\\\"quoted\\\"\"", "\"quoted\"")]
    [InlineData("{\"a\":[1]}", "{\"a\":[1]}")]
    [InlineData("null", null)]
    public void Json_strings_are_normalised_like_form_values(string json, string? expected)
    {
        var value = (JsonNode?)FieldValues.Normalize(FieldTestData.Field(FieldType.Json), JsonNode.Parse(json), out var issue);
        Assert.Null(issue);
        Assert.Equal(expected, value?.ToJsonString());
    }

    [Fact]
    public void Geo_points_keep_lon_and_lat()
    {
        var value = (JsonObject)FieldValues.Normalize(FieldTestData.Field(FieldType.GeoPoint), JsonNode.Parse("""{"lon":12.5,"lat":-3}"""), out var issue)!;
        Assert.Null(issue);
        Assert.Equal(12.5, value["lon"]!.GetValue<double>());
        Assert.Equal(-3, value["lat"]!.GetValue<double>());
    }
}
