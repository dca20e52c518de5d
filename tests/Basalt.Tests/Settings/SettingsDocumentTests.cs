using System.Net;
using System.Text.Json.Nodes;
using Basalt.Settings;
using Basalt.Storage;
using Basalt.Tests.Fixtures;

namespace Basalt.Tests.Settings;

/// <summary>
/// The whole settings document of §11: every section round-trips through PATCH and GET, every secret is write-only,
/// and every invalid value or wrong type is a 400 whose <c>data</c> names the field by its path.
/// </summary>
public abstract class SettingsDocumentTests(BasaltServerFixture server)
{
    private const string Full = """
        {
          "meta": {"appName": "Doc App", "appURL": "https://doc.example.com", "senderName": "Doc", "senderAddress": "doc@example.com", "hideControls": true, "accentColor": "#ff0000"},
          "smtp": {"enabled": false, "host": "mail.example.com", "port": 465, "username": "u", "password": "smtp-secret", "authMethod": "LOGIN", "tls": true, "localName": "doc.example.com"},
          "s3": {"enabled": true, "bucket": "files", "region": "eu-1", "endpoint": "https://s3.example.com", "accessKey": "AK", "secret": "s3-secret", "forcePathStyle": true},
          "backups": {"cron": "0 3 * * *", "cronMaxKeep": 7, "s3": {"enabled": true, "bucket": "bk", "region": "us-2", "endpoint": "https://b.example.com", "accessKey": "BK", "secret": "backup-secret", "forcePathStyle": false}},
          "batch": {"enabled": true, "maxRequests": 10, "timeout": 4, "maxBodySize": 1048576},
          "rateLimits": {"enabled": false, "excludedIPs": ["10.0.0.0/8", "::1"], "rules": [{"label": "users:create", "audience": "@guest", "duration": 60, "maxRequests": 5}, {"label": "/api/", "audience": "", "duration": 10, "maxRequests": 100}]},
          "trustedProxy": {"headers": ["X-Real-IP", "X-Forwarded-For"], "useLeftmostIP": true},
          "logs": {"maxDays": 9, "minLevel": 4, "logIP": false, "logAuthId": true},
          "superuserIPs": ["127.0.0.1", "10.0.0.0/8"],
          "realtime": {"retentionMinutes": 15, "retentionEvents": 5000}
        }
        """;

    [Fact]
    public async Task Every_section_round_trips_and_secrets_are_blank_on_read()
    {
        try
        {
            var (status, patched) = await server.Superuser.PatchJsonAsync("/api/settings", Full);
            var (_, read) = await server.Superuser.GetJsonAsync("/api/settings");
            var stored = await StoredAsync();

            Assert.Equal(HttpStatusCode.OK, status);
            var expected = JsonNode.Parse(Full)!.AsObject();
            expected["smtp"]!["password"] = "";
            expected["s3"]!["secret"] = "";
            expected["backups"]!["s3"]!["secret"] = "";
            Assert.True(JsonNode.DeepEquals(expected, patched), patched!.ToJsonString());
            Assert.True(JsonNode.DeepEquals(expected, read), read!.ToJsonString());
            Assert.Equal("smtp-secret", stored["smtp"]!["password"]!.GetValue<string>());
            Assert.Equal("s3-secret", stored["s3"]!["secret"]!.GetValue<string>());
            Assert.Equal("backup-secret", stored["backups"]!["s3"]!["secret"]!.GetValue<string>());
        }
        finally
        {
            await server.Superuser.PatchJsonAsync("/api/settings", """{"superuserIPs": [], "trustedProxy": {"headers": []}, "s3": {"enabled": false}, "backups": {"cron": "", "s3": {"enabled": false}}, "realtime": {"retentionMinutes": 10, "retentionEvents": 100000}}""");
        }
    }

    [Fact]
    public async Task A_blank_secret_keeps_the_stored_one_and_a_new_one_replaces_it()
    {
        await server.Superuser.PatchJsonAsync("/api/settings", """{"s3": {"secret": "first-s3"}, "backups": {"s3": {"secret": "first-backup"}}}""");

        // What a client read (secrets blank) sent back as is, plus one change.
        var (_, read) = await server.Superuser.GetJsonAsync("/api/settings");
        read!["logs"]!["maxDays"] = 11;
        var (status, _) = await server.Superuser.PatchJsonAsync("/api/settings", read.ToJsonString());
        var kept = await StoredAsync();
        await server.Superuser.PatchJsonAsync("/api/settings", """{"backups": {"s3": {"secret": "second-backup"}}}""");
        var replaced = await StoredAsync();

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(11, kept["logs"]!["maxDays"]!.GetValue<int>());
        Assert.Equal("first-s3", kept["s3"]!["secret"]!.GetValue<string>());
        Assert.Equal("first-backup", kept["backups"]!["s3"]!["secret"]!.GetValue<string>());
        Assert.Equal("first-s3", replaced["s3"]!["secret"]!.GetValue<string>());
        Assert.Equal("second-backup", replaced["backups"]!["s3"]!["secret"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_patch_replaces_arrays_and_keeps_the_sections_it_does_not_name()
    {
        await server.Superuser.PatchJsonAsync("/api/settings", """{"batch": {"maxRequests": 17}, "rateLimits": {"rules": [{"label": "*:auth", "duration": 3, "maxRequests": 2}, {"label": "/api/", "duration": 10, "maxRequests": 300}]}}""");

        var (status, body) = await server.Superuser.PatchJsonAsync("/api/settings", """{"rateLimits": {"rules": [{"label": "POST /api/x", "duration": 1, "maxRequests": 1}]}}""");

        Assert.Equal(HttpStatusCode.OK, status);
        var rules = body!["rateLimits"]!["rules"]!.AsArray();
        Assert.Single(rules);
        Assert.Equal("POST /api/x", rules[0]!["label"]!.GetValue<string>());
        Assert.Equal("", rules[0]!["audience"]!.GetValue<string>());
        Assert.Equal(17, body["batch"]!["maxRequests"]!.GetValue<int>());
        Assert.False(body["rateLimits"]!["enabled"]!.GetValue<bool>());
    }

    /// <summary>
    /// PocketBase's four default rules are there but, as in PocketBase, not enforced (<c>enabled</c> is false); the rules
    /// against brute force (sign-ins and the requests that send mail) are enforced whatever <c>enabled</c> says.
    /// </summary>
    [Fact]
    public void New_databases_guard_sign_ins_and_keep_the_general_default_rules_off()
    {
        var limits = AppSettings.Default.RateLimits.ToJson();

        Assert.False(limits["enabled"]!.GetValue<bool>());
        var expected = JsonNode.Parse("""
            [{"label": "*:auth", "audience": "", "duration": 3, "maxRequests": 2},
             {"label": "*:requestOTP", "audience": "", "duration": 60, "maxRequests": 5},
             {"label": "*:requestPasswordReset", "audience": "", "duration": 60, "maxRequests": 5},
             {"label": "*:requestVerification", "audience": "", "duration": 60, "maxRequests": 5},
             {"label": "*:requestEmailChange", "audience": "", "duration": 60, "maxRequests": 5},
             {"label": "*:create", "audience": "", "duration": 5, "maxRequests": 20},
             {"label": "/api/batch", "audience": "", "duration": 1, "maxRequests": 3},
             {"label": "/api/", "audience": "", "duration": 10, "maxRequests": 300}]
            """);
        Assert.True(JsonNode.DeepEquals(expected, limits["rules"]), limits.ToJsonString());
        Assert.Equal(
            ["*:auth", "*:requestOTP", "*:requestPasswordReset", "*:requestVerification", "*:requestEmailChange"],
            AppSettings.Default.RateLimits.Rules.Where(r => r.GuardsAgainstBruteForce).Select(r => r.Label));
        Assert.Empty(limits["excludedIPs"]!.AsArray());
    }

    [Theory]
    [InlineData("""{"rateLimits": {"rules": [{"label": "", "duration": 1, "maxRequests": 1}]}}""", "rateLimits.rules.0.label")]
    [InlineData("""{"rateLimits": {"rules": [{"label": "/a", "duration": 1, "maxRequests": 1}, {"label": "no label", "duration": 1, "maxRequests": 1}]}}""", "rateLimits.rules.1.label")]
    [InlineData("""{"rateLimits": {"rules": [{"label": "/a", "duration": 0, "maxRequests": 1}]}}""", "rateLimits.rules.0.duration")]
    [InlineData("""{"rateLimits": {"rules": [{"label": "/a", "duration": 1, "maxRequests": 0}]}}""", "rateLimits.rules.0.maxRequests")]
    [InlineData("""{"rateLimits": {"rules": [{"label": "/a", "audience": "@admins", "duration": 1, "maxRequests": 1}]}}""", "rateLimits.rules.0.audience")]
    [InlineData("""{"rateLimits": {"rules": [{"label": "/a", "duration": 1, "maxRequests": 1}, {"label": "/a", "duration": 2, "maxRequests": 2}]}}""", "rateLimits.rules.1.label")]
    [InlineData("""{"rateLimits": {"enabled": true, "rules": []}}""", "rateLimits.rules")]
    [InlineData("""{"rateLimits": {"excludedIPs": ["10.0.0.1", "not-an-ip"]}}""", "rateLimits.excludedIPs.1")]
    [InlineData("""{"superuserIPs": ["300.1.1.1"]}""", "superuserIPs.0")]
    [InlineData("""{"trustedProxy": {"headers": ["X Forwarded"]}}""", "trustedProxy.headers.0")]
    [InlineData("""{"s3": {"enabled": true, "bucket": "b", "region": "r", "endpoint": "https://s3.example.com", "accessKey": "k"}}""", "s3.secret")]
    [InlineData("""{"backups": {"s3": {"enabled": true, "endpoint": "nope"}}}""", "backups.s3.endpoint")]
    [InlineData("""{"backups": {"cron": "every day"}}""", "backups.cron")]
    [InlineData("""{"backups": {"cron": "0 0 * * *", "cronMaxKeep": 0}}""", "backups.cronMaxKeep")]
    [InlineData("""{"batch": {"maxBodySize": -1}}""", "batch.maxBodySize")]
    [InlineData("""{"logs": {"maxDays": -1}}""", "logs.maxDays")]
    [InlineData("""{"realtime": {"retentionMinutes": 0}}""", "realtime.retentionMinutes")]
    [InlineData("""{"realtime": {"retentionMinutes": -5}}""", "realtime.retentionMinutes")]
    [InlineData("""{"realtime": {"retentionMinutes": 2147483647}}""", "realtime.retentionMinutes")]
    [InlineData("""{"realtime": {"retentionMinutes": 525601}}""", "realtime.retentionMinutes")]
    [InlineData("""{"realtime": {"retentionEvents": 0}}""", "realtime.retentionEvents")]
    [InlineData("""{"realtime": {"retentionEvents": -2147483648}}""", "realtime.retentionEvents")]
    public async Task Invalid_values_are_400_naming_the_field_path_and_change_nothing(string patch, string path)
    {
        await AssertRejectedAsync(patch, path);
    }

    [Theory]
    [InlineData("""{"rateLimits": {"rules": [{"label": "/a", "duration": "1", "maxRequests": 1}]}}""", "rateLimits.rules.0.duration")]
    [InlineData("""{"rateLimits": {"rules": [5]}}""", "rateLimits.rules.0")]
    [InlineData("""{"rateLimits": {"rules": {"label": "/a"}}}""", "rateLimits.rules")]
    [InlineData("""{"rateLimits": {"enabled": "yes"}}""", "rateLimits.enabled")]
    [InlineData("""{"rateLimits": {"excludedIPs": "10.0.0.1"}}""", "rateLimits.excludedIPs")]
    [InlineData("""{"rateLimits": {"excludedIPs": [1]}}""", "rateLimits.excludedIPs.0")]
    [InlineData("""{"trustedProxy": {"useLeftmostIP": 1}}""", "trustedProxy.useLeftmostIP")]
    [InlineData("""{"trustedProxy": 3}""", "trustedProxy")]
    [InlineData("""{"batch": {"timeout": 1.5}}""", "batch.timeout")]
    [InlineData("""{"backups": {"s3": {"enabled": "true"}}}""", "backups.s3.enabled")]
    [InlineData("""{"logs": {"logIP": null, "minLevel": "info"}}""", "logs.minLevel")]
    [InlineData("""{"superuserIPs": "127.0.0.1"}""", "superuserIPs")]
    [InlineData("""{"realtime": {"retentionMinutes": "10"}}""", "realtime.retentionMinutes")]
    [InlineData("""{"realtime": {"retentionMinutes": 1.5}}""", "realtime.retentionMinutes")]
    [InlineData("""{"realtime": {"retentionEvents": 99999999999999999999}}""", "realtime.retentionEvents")]
    [InlineData("""{"realtime": {"retentionEvents": null, "retentionMinutes": true}}""", "realtime.retentionMinutes")]
    [InlineData("""{"realtime": []}""", "realtime")]
    public async Task Wrong_types_are_400_naming_the_field_path_and_change_nothing(string patch, string path)
    {
        await AssertRejectedAsync(patch, path);
    }

    private async Task AssertRejectedAsync(string patch, string path)
    {
        var before = (await StoredAsync()).ToJsonString();

        var (status, body) = await server.Superuser.PatchJsonAsync("/api/settings", patch);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(400, body!["status"]!.GetValue<int>());
        var leaf = path.Split('.').Aggregate(body["data"], (node, key) => node?[key]);
        Assert.True(leaf?["code"] is not null, body.ToJsonString());
        Assert.Equal(before, (await StoredAsync()).ToJsonString());
    }

    private async Task<JsonObject> StoredAsync()
    {
        var db = server.Services.GetRequiredService<IDatabase>();
        var json = await db.ReadAsync((c, ct) => SystemTables.GetParamAsync(c, null, SettingsService.ParamKey, ct), CancellationToken.None);
        return JsonNode.Parse(json!)!.AsObject();
    }
}

/// <summary>The settings document on SQLite.</summary>
public sealed class SettingsDocumentSqliteTests(SqliteServerFixture f) : SettingsDocumentTests(f), IClassFixture<SqliteServerFixture>;

/// <summary>The settings document on PostgreSQL.</summary>
public sealed class SettingsDocumentPostgresTests(PostgresServerFixture f) : SettingsDocumentTests(f), IClassFixture<PostgresServerFixture>;
