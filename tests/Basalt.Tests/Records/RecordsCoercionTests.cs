using System.Net;
using Basalt.Tests.Fixtures;

namespace Basalt.Tests.Records;

/// <summary>
/// Mistyped values are coerced as PocketBase's casts coerce them (checked against the real binary), never refused;
/// emails are <c>validation_is_email</c>; the default users collection requires an email.
/// </summary>
public abstract class RecordsCoercionTests(BasaltServerFixture fixture) : RecordsTestBase(fixture)
{
    private const string Fields = """
        [{"name":"n","type":"number"},{"name":"b","type":"bool"},{"name":"d","type":"date"},{"name":"tx","type":"text"},
         {"name":"s","type":"select","values":["a","b","c","1"],"maxSelect":1},{"name":"ms","type":"select","values":["a","b","c"],"maxSelect":3},
         {"name":"e","type":"email"},{"name":"u","type":"url"},{"name":"j","type":"json"}]
        """;

    public static TheoryData<string, string, string> Coercions => new()
    {
        { """{"n":"abc"}""", "n", "0" },
        { """{"n":" 5 "}""", "n", "0" },
        { """{"n":"1e5"}""", "n", "100000" },
        { """{"n":"-2.5"}""", "n", "-2.5" },
        { """{"n":true}""", "n", "1" },
        { """{"n":[1]}""", "n", "0" },
        { """{"n":{"a":1}}""", "n", "0" },
        { """{"n":"1e400"}""", "n", "0" },
        { """{"b":"1"}""", "b", "true" },
        { """{"b":"T"}""", "b", "true" },
        { """{"b":"True"}""", "b", "true" },
        { """{"b":"TRUE"}""", "b", "true" },
        { """{"b":"tRuE"}""", "b", "false" },
        { """{"b":" true"}""", "b", "false" },
        { """{"b":"yes"}""", "b", "false" },
        { """{"b":2}""", "b", "true" },
        { """{"b":0.5}""", "b", "true" },
        { """{"b":0}""", "b", "false" },
        { """{"b":[true]}""", "b", "false" },
        { """{"d":"yesterday"}""", "d", "\"\"" },
        { """{"d":1700000000}""", "d", "\"\"" },
        { """{"d":true}""", "d", "\"\"" },
        { """{"d":"2024-01-02T10:00:00+02:00"}""", "d", "\"2024-01-02 08:00:00.000Z\"" },
        { """{"tx":5}""", "tx", "\"5\"" },
        { """{"tx":1e21}""", "tx", "\"1000000000000000000000\"" },
        { """{"tx":1e-7}""", "tx", "\"0.0000001\"" },
        { """{"tx":true}""", "tx", "\"true\"" },
        { """{"tx":[1,2]}""", "tx", "\"\"" },
        { """{"tx":{"a":1}}""", "tx", "\"\"" },
        { """{"s":["a","b","a"]}""", "s", "\"b\"" },
        { """{"s":1}""", "s", "\"1\"" },
        { """{"s":{"a":1}}""", "s", "\"\"" },
        { """{"ms":["a",["b"],{"x":1},"c"]}""", "ms", "[\"a\",\"c\"]" },
        { """{"ms":"[\"a\",\"b\"]"}""", "ms", "[\"a\",\"b\"]" },
        { """{"u":["http://a.b"]}""", "u", "\"\"" },
        { """{"e":{"x":1}}""", "e", "\"\"" },
        { """{"j":"abc"}""", "j", "\"abc\"" },
        { """{"j":"5"}""", "j", "5" },
    };

    [Theory]
    [MemberData(nameof(Coercions))]
    public async Task Mistyped_values_are_coerced_not_refused(string body, string field, string expected)
    {
        var name = HttpJson.UniqueName("cast");
        await CreateCollectionAsync(name, Fields);
        var (status, created) = await Guest.PostJsonAsync(Records(name), body);
        Assert.True(status == HttpStatusCode.OK, $"{body}: {(int)status} {created?.ToJsonString()}");
        Assert.Equal(expected, created![field]!.ToJsonString());
    }

    [Theory]
    [InlineData("""{"n":"inf"}""", "n", "validation_not_a_number")]
    [InlineData("""{"e":"not-an-email"}""", "e", "validation_is_email")]
    [InlineData("""{"e":5}""", "e", "validation_is_email")]
    [InlineData("""{"u":"bad"}""", "u", "validation_invalid_url")]
    [InlineData("""{"s":"zz"}""", "s", "validation_invalid_value")]
    [InlineData("""{"ms":["zz","a","b","c"]}""", "ms", "validation_too_many_values")]
    public async Task Values_that_coerce_but_do_not_validate_name_the_field(string body, string field, string code)
    {
        var name = HttpJson.UniqueName("invalid");
        await CreateCollectionAsync(name, Fields);
        AssertError(HttpStatusCode.BadRequest, await Guest.PostJsonAsync(Records(name), body), field, code);
        Assert.Equal(0, await CountAsync(name));
    }

    [Fact]
    public async Task The_auth_email_is_validation_is_email_and_required_in_users()
    {
        AssertError(HttpStatusCode.BadRequest, await Guest.PostJsonAsync(Records("users"), new { email = "nope", password = "12345678", passwordConfirm = "12345678" }), "email", "validation_is_email");
        AssertError(HttpStatusCode.BadRequest, await Guest.PostJsonAsync(Records("users"), new { password = "12345678", passwordConfirm = "12345678" }), "email", "validation_required");
        AssertError(HttpStatusCode.BadRequest, await Guest.PostJsonAsync(Records("users"), new { email = "", password = "12345678", passwordConfirm = "12345678" }), "email", "validation_required");

        var (_, scaffolds) = await Superuser.GetJsonAsync("/api/collections/meta/scaffolds");
        var email = scaffolds!["auth"]!["fields"]!.AsArray().Single(f => f!["name"]!.GetValue<string>() == "email")!;
        Assert.True(email["required"]!.GetValue<bool>());

        var members = HttpJson.UniqueName("members");
        await CreateCollectionAsync(members, "[]", type: "auth");
        AssertError(HttpStatusCode.BadRequest, await Guest.PostJsonAsync(Records(members), new { password = "12345678", passwordConfirm = "12345678" }), "email", "validation_required");
    }
}

public sealed class RecordsCoercionSqliteTests(SqliteServerFixture f) : RecordsCoercionTests(f), IClassFixture<SqliteServerFixture>;

public sealed class RecordsCoercionPostgresTests(PostgresServerFixture f) : RecordsCoercionTests(f), IClassFixture<PostgresServerFixture>;
