using System.Net;
using System.Text.Json.Nodes;
using Basalt.Settings;
using Basalt.Storage;
using Basalt.Tests.Fixtures;

namespace Basalt.Tests.Settings;

/// <summary>
/// <c>/api/settings</c> (§11): superusers only, partial PATCH merged into the stored JSON in <c>_params</c>, the SMTP
/// password write-only, and every invalid value a 400 naming its field.
/// </summary>
public abstract class SettingsTests(BasaltServerFixture server)
{
    [Fact]
    public async Task Guests_get_401_and_users_403()
    {
        var (guestGet, guestBody) = await server.Guest.GetJsonAsync("/api/settings");
        var (guestPatch, _) = await server.Guest.PatchJsonAsync("/api/settings", new { meta = new { appName = "x" } });
        var users = HttpJson.UniqueName("users");
        await server.Superuser.PostJsonAsync("/api/collections", new { name = users, type = "auth" });
        await server.Superuser.PostJsonAsync($"/api/collections/{users}/records", new { email = "u@example.com", password = "user-password-1", passwordConfirm = "user-password-1" });
        using var user = await server.SignInAsync(users, "u@example.com", "user-password-1");
        var (userGet, _) = await user.GetJsonAsync("/api/settings");
        var (userPatch, _) = await user.PatchJsonAsync("/api/settings", new { meta = new { appName = "x" } });

        Assert.Equal(HttpStatusCode.Unauthorized, guestGet);
        Assert.Equal(401, guestBody!["status"]!.GetValue<int>());
        Assert.Equal(HttpStatusCode.Unauthorized, guestPatch);
        Assert.Equal(HttpStatusCode.Forbidden, userGet);
        Assert.Equal(HttpStatusCode.Forbidden, userPatch);
    }

    [Fact]
    public async Task A_patch_merges_persists_and_never_returns_the_smtp_password()
    {
        var (status, body) = await server.Superuser.PatchJsonAsync("/api/settings", new
        {
            meta = new { appName = "Basalt Test", appURL = "https://app.example.com" },
            smtp = new { enabled = true, host = "127.0.0.1", port = 2525, username = "mailer", password = "s3cret-pass" },
        });

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Basalt Test", body!["meta"]!["appName"]!.GetValue<string>());
        Assert.Equal("support@example.com", body["meta"]!["senderAddress"]!.GetValue<string>());
        Assert.Equal(2525, body["smtp"]!["port"]!.GetValue<int>());
        Assert.Equal("", body["smtp"]!["password"]!.GetValue<string>());

        // Sending the settings back as read (password blank) keeps the stored password.
        var (again, _) = await server.Superuser.PatchJsonAsync("/api/settings", new { smtp = new { password = "", port = 2526 } });
        var (_, read) = await server.Superuser.GetJsonAsync("/api/settings");
        var stored = await StoredAsync();

        Assert.Equal(HttpStatusCode.OK, again);
        Assert.Equal(2526, read!["smtp"]!["port"]!.GetValue<int>());
        Assert.Equal("", read["smtp"]!["password"]!.GetValue<string>());
        Assert.DoesNotContain("s3cret-pass", read.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal("s3cret-pass", stored["smtp"]!["password"]!.GetValue<string>());
        Assert.Equal("Basalt Test", stored["meta"]!["appName"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("""{"meta":{"appName":""}}""", "meta", "appName")]
    [InlineData("""{"meta":{"appURL":"not a url"}}""", "meta", "appURL")]
    [InlineData("""{"meta":{"senderAddress":"nope"}}""", "meta", "senderAddress")]
    [InlineData("""{"meta":{"appName":12}}""", "meta", "appName")]
    [InlineData("""{"smtp":{"port":"abc"}}""", "smtp", "port")]
    [InlineData("""{"smtp":{"enabled":true,"host":"","port":25}}""", "smtp", "host")]
    [InlineData("""{"smtp":{"enabled":true,"host":"h","port":70000}}""", "smtp", "port")]
    [InlineData("""{"smtp":{"authMethod":"CRAM"}}""", "smtp", "authMethod")]
    [InlineData("""{"smtp":{"tls":"yes"}}""", "smtp", "tls")]
    public async Task Invalid_values_are_400_naming_the_field_and_change_nothing(string patch, string section, string field)
    {
        var before = (await StoredAsync()).ToJsonString();

        var (status, body) = await server.Superuser.PatchJsonAsync("/api/settings", patch);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(400, body!["status"]!.GetValue<int>());
        Assert.NotNull(body["data"]![section]![field]!["code"]);
        Assert.Equal(before, (await StoredAsync()).ToJsonString());
    }

    [Fact]
    public async Task A_non_object_section_or_body_is_400()
    {
        var (section, body) = await server.Superuser.PatchJsonAsync("/api/settings", """{"smtp":5}""");
        var (malformed, _) = await server.Superuser.PatchJsonAsync("/api/settings", "{not json");

        Assert.Equal(HttpStatusCode.BadRequest, section);
        Assert.NotNull(body!["data"]!["smtp"]!["code"]);
        Assert.Equal(HttpStatusCode.BadRequest, malformed);
    }

    /// <summary>The settings as stored in <c>_params</c> (the default settings when none were saved yet).</summary>
    private async Task<JsonObject> StoredAsync()
    {
        var db = server.Services.GetRequiredService<IDatabase>();
        var json = await db.ReadAsync((c, ct) => SystemTables.GetParamAsync(c, null, SettingsService.ParamKey, ct), CancellationToken.None);
        return json is null ? AppSettings.Default.ToJson(includeSecrets: true) : JsonNode.Parse(json)!.AsObject();
    }
}

/// <summary>Settings on SQLite.</summary>
public sealed class SettingsSqliteTests(SqliteServerFixture f) : SettingsTests(f), IClassFixture<SqliteServerFixture>;

/// <summary>Settings on PostgreSQL.</summary>
public sealed class SettingsPostgresTests(PostgresServerFixture f) : SettingsTests(f), IClassFixture<PostgresServerFixture>;
