using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Amazon.S3.Model;
using Basalt.Tests.Fixtures;

namespace Basalt.Tests.Settings;

/// <summary>
/// <c>POST /api/settings/test/s3</c> (§11) against a real S3 server: 204 when an object can be stored, listed and
/// deleted in the configured bucket, a 400 envelope that says why otherwise, superusers only; and the S3 secret is never
/// read back.
/// </summary>
public abstract class SettingsTestS3Tests(BasaltServerFixture server)
{
    private const string Url = "/api/settings/test/s3";

    private Basalt.Settings.S3Settings S3 => server.S3 ?? throw new InvalidOperationException("an S3 fixture");

    [Fact]
    public async Task The_storage_bucket_passes_and_the_test_object_is_gone_afterwards()
    {
        var (status, body) = await server.Superuser.PostJsonAsync(Url, new { filesystem = "storage" });

        Assert.True(status == HttpStatusCode.NoContent, $"{(int)status} {body?.ToJsonString()}");
        using var client = S3TestServer.Client(S3);
        var left = await client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = S3.Bucket, Prefix = "pb_settings_test_" });
        Assert.Empty(left.S3Objects ?? []);
    }

    [Fact]
    public async Task The_backups_bucket_is_tested_from_its_own_settings()
    {
        try
        {
            var (off, offBody) = await server.Superuser.PostJsonAsync(Url, new { filesystem = "backups" });
            Assert.Equal(HttpStatusCode.BadRequest, off);
            Assert.Contains("not enabled", offBody!["message"]!.GetValue<string>(), StringComparison.Ordinal);

            await PatchBackupsAsync(S3.ToJson(includeSecrets: true));
            var (on, onBody) = await server.Superuser.PostJsonAsync(Url, new { filesystem = "backups" });
            Assert.True(on == HttpStatusCode.NoContent, $"{(int)on} {onBody?.ToJsonString()}");
        }
        finally
        {
            await PatchBackupsAsync(new JsonObject { ["enabled"] = false });
        }
    }

    [Fact]
    public async Task Wrong_credentials_are_a_400_that_names_the_s3_error()
    {
        try
        {
            var wrong = S3.ToJson(includeSecrets: true);
            wrong["accessKey"] = "NOSUCHKEY";
            wrong["secret"] = "wrong-secret-value";
            await PatchBackupsAsync(wrong);

            var (status, body) = await server.Superuser.PostJsonAsync(Url, new { filesystem = "backups" });

            Assert.Equal(HttpStatusCode.BadRequest, status);
            Assert.Equal(400, body!["status"]!.GetValue<int>());
            var message = body["message"]!.GetValue<string>();
            Assert.StartsWith("Failed to test the S3 filesystem.", message, StringComparison.Ordinal);
            Assert.Contains("InvalidAccessKeyId", message, StringComparison.Ordinal);
            Assert.DoesNotContain("wrong-secret-value", message, StringComparison.Ordinal);
        }
        finally
        {
            await PatchBackupsAsync(new JsonObject { ["enabled"] = false });
        }
    }

    [Fact]
    public async Task An_endpoint_that_does_not_answer_is_a_400()
    {
        try
        {
            var unreachable = S3.ToJson(includeSecrets: true);
            unreachable["endpoint"] = "http://127.0.0.1:" + ClosedPort();
            await PatchBackupsAsync(unreachable);

            var (status, body) = await server.Superuser.PostJsonAsync(Url, new { filesystem = "backups" });

            Assert.Equal(HttpStatusCode.BadRequest, status);
            Assert.Contains("failed to upload a test file", body!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        }
        finally
        {
            await PatchBackupsAsync(new JsonObject { ["enabled"] = false });
        }
    }

    [Theory]
    [InlineData("{}", "validation_required")]
    [InlineData("""{"filesystem":""}""", "validation_required")]
    [InlineData("""{"filesystem":"other"}""", "validation_in_invalid")]
    [InlineData("""{"filesystem":5}""", "validation_required")]
    public async Task A_missing_or_unknown_filesystem_is_a_400_naming_it(string body, string code)
    {
        var (status, json) = await server.Superuser.PostJsonAsync(Url, body);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(code, json!["data"]!["filesystem"]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task Guests_get_401_and_users_403()
    {
        var users = HttpJson.UniqueName("users");
        await server.Superuser.PostJsonAsync("/api/collections", new { name = users, type = "auth" });
        await server.Superuser.PostJsonAsync($"/api/collections/{users}/records", new { email = "s3@example.com", password = "user-password-1", passwordConfirm = "user-password-1" });
        using var user = await server.SignInAsync(users, "s3@example.com", "user-password-1");

        Assert.Equal(HttpStatusCode.Unauthorized, (await server.Guest.PostJsonAsync(Url, new { filesystem = "storage" })).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await user.PostJsonAsync(Url, new { filesystem = "storage" })).Status);
    }

    [Fact]
    public async Task The_settings_never_show_an_s3_secret()
    {
        try
        {
            await PatchBackupsAsync(new JsonObject { ["secret"] = "never-shown-secret" });

            var (status, body) = await server.Superuser.GetJsonAsync("/api/settings");

            Assert.Equal(HttpStatusCode.OK, status);
            Assert.True(body!["s3"]!["enabled"]!.GetValue<bool>());
            Assert.Equal(S3.Endpoint, body["s3"]!["endpoint"]!.GetValue<string>());
            Assert.Equal("", body["s3"]!["secret"]!.GetValue<string>());
            Assert.Equal("", body["backups"]!["s3"]!["secret"]!.GetValue<string>());
            Assert.DoesNotContain("never-shown-secret", body.ToJsonString(), StringComparison.Ordinal);
        }
        finally
        {
            await PatchBackupsAsync(new JsonObject { ["enabled"] = false });
        }
    }

    private async Task PatchBackupsAsync(JsonObject s3)
    {
        var (status, body) = await server.Superuser.PatchJsonAsync("/api/settings", new JsonObject { ["backups"] = new JsonObject { ["s3"] = s3 } }.ToJsonString());
        Assert.True(status == HttpStatusCode.OK, $"{(int)status} {body?.ToJsonString()}");
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

public sealed class SettingsTestS3SqliteTests(SqliteS3ServerFixture f) : SettingsTestS3Tests(f), IClassFixture<SqliteS3ServerFixture>;

public sealed class SettingsTestS3PostgresTests(PostgresS3ServerFixture f) : SettingsTestS3Tests(f), IClassFixture<PostgresS3ServerFixture>;
