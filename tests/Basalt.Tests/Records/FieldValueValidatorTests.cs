using System.Text.Json.Nodes;
using Basalt.Model;
using Basalt.Records.Fields;
using Record = Basalt.Model.Record;

namespace Basalt.Tests.Records;

public sealed class FieldValueValidatorTests
{
    public static TheoryData<string, string, object?, string?> Cases => new()
    {
        { FieldType.Text, """{"required":true}""", "", "validation_required" },
        { FieldType.Text, """{"min":3}""", "ab", "validation_min_text_constraint" },
        { FieldType.Text, """{"min":3}""", "", null },
        { FieldType.Text, """{"max":3}""", "abcd", "validation_max_text_constraint" },
        { FieldType.Text, """{"max":3}""", "äöü", null },
        { FieldType.Text, "{}", new string('x', 5001), "validation_max_text_constraint" },
        { FieldType.Text, """{"pattern":"^[a-z]+$"}""", "abC", "validation_invalid_format" },
        { FieldType.Text, """{"pattern":"^[a-z]+$"}""", "abc", null },
        { FieldType.Number, """{"required":true}""", 0d, "validation_required" },
        { FieldType.Number, """{"onlyInt":true}""", 1.5, "validation_only_int_constraint" },
        { FieldType.Number, """{"min":2}""", 1d, "validation_min_number_constraint" },
        { FieldType.Number, """{"max":2}""", 3d, "validation_max_number_constraint" },
        { FieldType.Number, """{"min":null,"max":null}""", -3d, null },
        { FieldType.Bool, """{"required":true}""", false, "validation_required" },
        { FieldType.Email, "{}", "nope", "validation_is_email" },
        { FieldType.Email, "{}", "a@b.co", null },
        { FieldType.Email, """{"onlyDomains":["x.com"]}""", "a@b.co", "validation_email_domain_not_allowed" },
        { FieldType.Email, """{"exceptDomains":["b.co"]}""", "a@b.co", "validation_email_domain_not_allowed" },
        { FieldType.Url, "{}", "not a url", "validation_invalid_url" },
        { FieldType.Url, "{}", "javascript:alert(1)", "validation_invalid_url" },
        { FieldType.Url, "{}", "https://example.com/x", null },
        { FieldType.Url, """{"exceptDomains":["example.com"]}""", "https://example.com/x", "validation_url_domain_not_allowed" },
        { FieldType.Editor, """{"maxSize":4}""", "<p>hello</p>", "validation_max_text_constraint" },
        { FieldType.Date, """{"min":"2024-01-01 00:00:00.000Z"}""", "2023-01-01 00:00:00.000Z", "validation_min_date_constraint" },
        { FieldType.Date, """{"max":"2024-01-01 00:00:00.000Z"}""", "2025-01-01 00:00:00.000Z", "validation_max_date_constraint" },
        { FieldType.Select, """{"values":["a","b"],"maxSelect":1}""", "c", "validation_invalid_value" },
        { FieldType.Select, """{"values":["a","b"],"maxSelect":1}""", "a", null },
        { FieldType.Select, """{"values":["a","b","c"],"maxSelect":2}""", new List<string> { "a", "b", "c" }, "validation_too_many_values" },
        { FieldType.Relation, """{"maxSelect":2}""", new List<string> { "a", "b", "c" }, "validation_too_many_values" },
        { FieldType.Relation, """{"maxSelect":5,"minSelect":2}""", new List<string> { "a" }, "validation_not_enough_values" },
        { FieldType.Relation, """{"required":true,"maxSelect":5}""", new List<string>(), "validation_required" },
        { FieldType.File, "{}", "new.png", "validation_invalid_file" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Reports_pocketbase_codes(string type, string options, object? value, string? code)
    {
        var issue = FieldValueValidator.Validate(FieldTestData.Field(type, options: options), value, null);
        Assert.Equal(code, issue?.Code);
    }

    [Fact]
    public void Json_over_its_max_size_is_refused()
    {
        var field = FieldTestData.Field(FieldType.Json, options: """{"maxSize":10}""");
        Assert.Equal("validation_json_size_limit", FieldValueValidator.Validate(field, JsonNode.Parse("""{"abc":"defghijkl"}"""), null)?.Code);
    }

    [Theory]
    [InlineData("null")]
    [InlineData("\"\"")]
    [InlineData("[]")]
    [InlineData("{}")]
    public void Required_json_rejects_empty_values(string json)
    {
        var field = FieldTestData.Field(FieldType.Json, options: """{"required":true}""");
        Assert.Equal("validation_required", FieldValueValidator.Validate(field, JsonNode.Parse(json), null)?.Code);
    }

    [Theory]
    [InlineData(0, 91)]
    [InlineData(181, 0)]
    [InlineData(-181, 10)]
    public void Geo_points_must_be_on_earth(double lon, double lat)
    {
        var field = FieldTestData.Field(FieldType.GeoPoint);
        Assert.NotNull(FieldValueValidator.Validate(field, new JsonObject { ["lon"] = lon, ["lat"] = lat }, null));
    }

    [Theory]
    [InlineData("abc/def")]
    [InlineData("abc def")]
    [InlineData("a'b")]
    [InlineData("a%b")]
    [InlineData("CON")]
    [InlineData("lpt1")]
    public void Record_ids_refuse_forbidden_characters_and_names(string id) =>
        Assert.NotNull(FieldValueValidator.RecordId(id));

    [Fact]
    public void The_primary_key_cannot_change()
    {
        var collection = FieldTestData.Collection();
        var original = new Record(collection) { Id = "aaaaaaaaaaaaaaa" };
        var issue = FieldValueValidator.Validate(collection.Fields[0], "bbbbbbbbbbbbbbb", original);
        Assert.Equal("validation_pk_change", issue?.Code);
    }

    [Fact]
    public void File_fields_accept_only_existing_names()
    {
        var field = FieldTestData.Field(FieldType.File, "docs", """{"maxSelect":3}""");
        var original = new Record(FieldTestData.Collection(field));
        original.Set("docs", new List<string> { "a_123.png", "b_456.png" });
        Assert.Null(FieldValueValidator.Validate(field, new List<string> { "b_456.png" }, original));
        Assert.Equal("validation_invalid_file", FieldValueValidator.Validate(field, new List<string> { "c.png" }, original)?.Code);
    }

    [Theory]
    [InlineData("short", "validation_min_text_constraint")]
    [InlineData("long enough", null)]
    public void Passwords_are_checked_in_plain_text(string plain, string? code)
    {
        var field = FieldTestData.Field(FieldType.Password, "password", """{"min":8}""");
        Assert.Equal(code, FieldValueValidator.Password(field, plain)?.Code);
    }
}
