using System.Text.Json.Nodes;

namespace Basalt.Client.Admin;

/// <summary>The settings document of §11 (superusers only): read, patch, and the S3 and email tests.</summary>
public sealed class SettingsService
{
    private const string Path = "api/settings";
    private readonly BasaltClient _client;

    internal SettingsService(BasaltClient client) => _client = client;

    /// <summary>Every section (<c>meta</c>, <c>smtp</c>, <c>s3</c>, <c>backups</c>, <c>batch</c>, <c>rateLimits</c>, …), secrets blanked.</summary>
    public async Task<JsonObject> GetAllAsync(RequestOptions? options = null, CancellationToken cancellationToken = default) =>
        JsonRead.Object(await _client.SendAsync(HttpMethod.Get, Path, (HttpContent?)null, options, cancellationToken));

    /// <summary>Merges <paramref name="changes"/> into the settings and returns all of them.</summary>
    public async Task<JsonObject> UpdateAsync(JsonObject changes, RequestOptions? options = null, CancellationToken cancellationToken = default) =>
        JsonRead.Object(await _client.SendAsync(HttpMethod.Patch, Path, changes, options, cancellationToken));

    /// <summary>Checks the S3 settings of <paramref name="filesystem"/> (<c>storage</c> or <c>backups</c>) against the bucket.</summary>
    public Task TestS3Async(string filesystem = "storage", CancellationToken cancellationToken = default) =>
        _client.SendAsync(HttpMethod.Post, Path + "/test/s3", new JsonObject { ["filesystem"] = filesystem }, null, cancellationToken);

    /// <summary>Sends a test mail of <paramref name="template"/> (<c>verification</c>, <c>password-reset</c>, <c>email-change</c>, <c>otp</c>, <c>login-alert</c>).</summary>
    public Task TestEmailAsync(string email, string template, string? collection = null, CancellationToken cancellationToken = default)
    {
        var body = new JsonObject { ["email"] = email, ["template"] = template };
        if (collection is not null)
        {
            body["collection"] = collection;
        }

        return _client.SendAsync(HttpMethod.Post, Path + "/test/email", body, null, cancellationToken);
    }

    /// <summary>A client secret for Sign in with Apple from its private key: <c>{clientId, teamId, keyId, privateKey, duration}</c>.</summary>
    public async Task<string> GenerateAppleClientSecretAsync(JsonObject request, CancellationToken cancellationToken = default) =>
        JsonRead.String((await _client.SendAsync(HttpMethod.Post, Path + "/apple/generate-client-secret", request, null, cancellationToken))?["secret"]) ?? "";
}
