using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Basalt.Tests.Fixtures;

namespace Basalt.Tests.Api;

/// <summary>
/// Every route that reads a body gets lone UTF-16 surrogate escapes, NUL and malformed JSON, in values and in names:
/// each answers a 4xx envelope or stores U+FFFD in place of the escape, never a 500.
/// </summary>
public abstract class HostileJsonPathsTests(BasaltServerFixture fixture)
{
    private BasaltServerFixture Server { get; } = fixture;

    public static TheoryData<string, string, bool, string> Routes => new()
    {
        { "POST", "/api/collections/users/auth-with-password", false, """{"identity":"\ud800@example.com","password":"\udfff"}""" },
        { "POST", "/api/collections/users/auth-with-password", false, """{"identity\ud800":"x","password":"y"}""" },
        { "POST", "/api/collections/users/request-otp", false, """{"email":"a\ud800@example.com"}""" },
        { "POST", "/api/collections/users/auth-with-otp", false, """{"otpId":"\ud800","password":"\u0000"}""" },
        { "POST", "/api/collections/users/request-password-reset", false, """{"email":"\ud800"}""" },
        { "POST", "/api/collections/users/confirm-password-reset", false, """{"token":"\ud800","password":"x","passwordConfirm":"x"}""" },
        { "POST", "/api/collections/users/request-verification", false, """{"email":"\udfff"}""" },
        { "POST", "/api/collections/users/auth-with-oauth2", false, """{"provider":"\ud800","code":"x","codeVerifier":"y","redirectURL":"z"}""" },
        { "PATCH", "/api/settings", true, """{"meta":{"appName":"Basalt\ud800"}}""" },
        { "POST", "/api/collections", true, """{"name":"c\ud800","type":"base"}""" },
        { "POST", "/api/collections", true, """{"name":"ok_utf","type":"base","fields":[{"name":"t\udfff","type":"text"}]}""" },
        { "PATCH", "/api/collections/users", true, """{"listRule":"id = '\ud800'"}""" },
        { "PUT", "/api/collections/import", true, """{"collections":[{"name":"\ud800","type":"base"}]}""" },
        { "POST", "/api/collections/meta/dry-run-view", true, """{"query":"SELECT id FROM users WHERE id = '\ud800'"}""" },
    };

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task A_surrogate_or_nul_anywhere_in_a_body_is_never_a_500(string method, string url, bool superuser, string body)
    {
        foreach (var variant in new[] { body, body.Replace("\\ud800", "\\u0000", StringComparison.Ordinal), "{\"x\":", "[1]", "{\"x\":1e400}" })
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), url) { Content = new StringContent(variant, Encoding.UTF8, "application/json") };
            using var response = await (superuser ? Server.Superuser : Server.Guest).SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            Assert.True((int)response.StatusCode < 500, $"{method} {url} {variant}: {(int)response.StatusCode} {text}");
            if (text.Length > 0 && (int)response.StatusCode >= 400)
            {
                Assert.IsType<JsonObject>(JsonNode.Parse(text)!["data"]);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task Invalid_utf8_bytes_anywhere_in_a_body_are_never_a_500(string method, string url, bool superuser, string body)
    {
        // Raw bytes a JSON escape cannot express: 0xFF, and a surrogate encoded as UTF-8 (ED A0 80), in values and names.
        var bytes = Encoding.UTF8.GetBytes(body.Replace("\\ud800", "@@", StringComparison.Ordinal).Replace("\\udfff", "##", StringComparison.Ordinal));
        var raw = new List<byte>();
        foreach (var b in bytes)
        {
            raw.AddRange(b == (byte)'@' ? [0xFF] : b == (byte)'#' ? [0xED, 0xA0, 0x80] : [b]);
        }

        using var request = new HttpRequestMessage(new HttpMethod(method), url) { Content = new ByteArrayContent([.. raw]) };
        request.Content.Headers.ContentType = new("application/json");
        using var response = await (superuser ? Server.Superuser : Server.Guest).SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode < 500, $"{method} {url}: {(int)response.StatusCode} {text}");
    }

    [Fact]
    public async Task Invalid_utf8_in_a_setting_is_stored_as_the_replacement_character()
    {
        using var content = new ByteArrayContent([.. Encoding.UTF8.GetBytes("{\"meta\":{\"appName\":\"Basalt"), 0xFF, .. Encoding.UTF8.GetBytes("\"}}")]);
        content.Headers.ContentType = new("application/json");
        using var response = await Server.Superuser.PatchAsync("/api/settings", content);
        var settings = JsonNode.Parse(await response.Content.ReadAsStringAsync());
        Assert.True(response.StatusCode == HttpStatusCode.OK, settings?.ToJsonString());
        Assert.Equal("Basalt\uFFFD", settings!["meta"]!["appName"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, (await Server.Superuser.PatchJsonAsync("/api/settings", """{"meta":{"appName":"Basalt"}}""")).Status);
    }

    [Fact]
    public async Task A_body_of_more_values_than_the_cap_is_the_generic_400()
    {
        var body = "{\"x\":[" + string.Join(',', Enumerable.Repeat("[]", 1_000_000)) + "]}";
        var (status, answer) = await Server.Guest.PostJsonAsync("/api/collections/users/records", body);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Empty(answer!["data"]!.AsObject());

        var (under, _) = await Server.Guest.PostJsonAsync("/api/collections/users/auth-with-password", "{\"identity\":[" + string.Join(',', Enumerable.Repeat("1", 1000)) + "]}");
        Assert.True(under < HttpStatusCode.InternalServerError);
    }

    [Fact]
    public async Task A_lone_surrogate_in_a_setting_is_stored_as_the_replacement_character()
    {
        var (status, settings) = await Server.Superuser.PatchJsonAsync("/api/settings", """{"meta":{"appName":"Basalt\ud800"}}""");
        Assert.True(status == HttpStatusCode.OK, $"{(int)status}: {settings?.ToJsonString()}");
        Assert.Equal("Basalt\uFFFD", settings!["meta"]!["appName"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, (await Server.Superuser.PatchJsonAsync("/api/settings", """{"meta":{"appName":"Basalt"}}""")).Status);
    }
}

public sealed class HostileJsonPathsSqliteTests(SqliteServerFixture f) : HostileJsonPathsTests(f), IClassFixture<SqliteServerFixture>;

public sealed class HostileJsonPathsPostgresTests(PostgresServerFixture f) : HostileJsonPathsTests(f), IClassFixture<PostgresServerFixture>;
