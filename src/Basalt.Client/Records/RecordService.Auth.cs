using System.Text.Json.Nodes;
using Basalt.Client.Auth;

namespace Basalt.Client.Records;

/// <summary>
/// The sign-in flows of an auth collection (§7): each successful sign-in saves its token and record in the client's
/// <see cref="AuthStore"/>. When MFA applies, the first method throws <see cref="ClientResponseException"/> with
/// <see cref="ClientResponseException.MfaId"/> set; pass it as <c>mfaId</c> to the second method.
/// </summary>
public sealed partial class RecordService
{
    public async Task<AuthMethods> ListAuthMethodsAsync(RequestOptions? options = null, CancellationToken cancellationToken = default) =>
        AuthMethods.FromJson(await _client.SendAsync(HttpMethod.Get, CollectionPath + "/auth-methods", (HttpContent?)null, options, cancellationToken));

    public Task<AuthResult> AuthWithPasswordAsync(
        string identity, string password, string? mfaId = null, RecordOptions? options = null, CancellationToken cancellationToken = default) =>
        SignInAsync("auth-with-password", new JsonObject { ["identity"] = identity, ["password"] = password }, mfaId, options, cancellationToken);

    /// <summary>Emails a one-time code; returns the <c>otpId</c> to sign in with (a decoy id for an unknown email).</summary>
    public async Task<string> RequestOtpAsync(string email, CancellationToken cancellationToken = default)
    {
        var body = await _client.SendAsync(HttpMethod.Post, CollectionPath + "/request-otp", new JsonObject { ["email"] = email }, null, cancellationToken);
        return JsonRead.String(body?["otpId"]) ?? throw new ClientResponseException("The server's request-otp answer has no otpId.");
    }

    public Task<AuthResult> AuthWithOtpAsync(string otpId, string password, string? mfaId = null, RecordOptions? options = null, CancellationToken cancellationToken = default) =>
        SignInAsync("auth-with-otp", new JsonObject { ["otpId"] = otpId, ["password"] = password }, mfaId, options, cancellationToken);

    /// <summary>
    /// Exchanges an OAuth2 authorization code (the manual flow of §7.3): <paramref name="codeVerifier"/> is the provider's
    /// from <see cref="ListAuthMethodsAsync"/>, <paramref name="redirectUrl"/> the one the user was sent back to, and
    /// <paramref name="createData"/> the fields of a record created for a new user.
    /// </summary>
    public Task<AuthResult> AuthWithOAuth2CodeAsync(
        string provider, string code, string codeVerifier, string redirectUrl, JsonObject? createData = null, string? mfaId = null,
        RecordOptions? options = null, CancellationToken cancellationToken = default)
    {
        var body = new JsonObject { ["provider"] = provider, ["code"] = code, ["codeVerifier"] = codeVerifier, ["redirectURL"] = redirectUrl };
        if (createData is not null)
        {
            body["createData"] = createData.DeepClone();
        }

        return SignInAsync("auth-with-oauth2", body, mfaId, options, cancellationToken);
    }

    /// <summary>A new token for the signed-in record (the same one for a non-refreshable, impersonation token).</summary>
    public async Task<AuthResult> AuthRefreshAsync(RecordOptions? options = null, CancellationToken cancellationToken = default)
    {
        var result = AuthResult.FromJson(await _client.SendAsync(HttpMethod.Post, CollectionPath + "/auth-refresh", (HttpContent?)null, options, cancellationToken));
        await _client.AuthStore.SaveAsync(result.Token, result.Record, cancellationToken);
        return result;
    }

    /// <summary>
    /// Signs in as another record without its password (superusers only) and returns a new client that holds that
    /// non-refreshable token in its own in-memory store; this client stays signed in as it was.
    /// <paramref name="duration"/> of zero uses the collection's token duration.
    /// </summary>
    public async Task<BasaltClient> ImpersonateAsync(string recordId, TimeSpan duration = default, RecordOptions? options = null, CancellationToken cancellationToken = default)
    {
        var body = new JsonObject { ["duration"] = (long)duration.TotalSeconds };
        var result = AuthResult.FromJson(await _client.SendAsync(HttpMethod.Post, CollectionPath + "/impersonate/" + Uri.EscapeDataString(recordId), body, options, cancellationToken));
        var store = new AuthStore();
        await store.SaveAsync(result.Token, result.Record, cancellationToken);
        return new BasaltClient(_client.Http, _client.BaseAddress, store);
    }

    public Task RequestPasswordResetAsync(string email, CancellationToken cancellationToken = default) =>
        PostAsync("request-password-reset", new JsonObject { ["email"] = email }, cancellationToken);

    public Task ConfirmPasswordResetAsync(string token, string password, string passwordConfirm, CancellationToken cancellationToken = default) =>
        PostAsync("confirm-password-reset", new JsonObject { ["token"] = token, ["password"] = password, ["passwordConfirm"] = passwordConfirm }, cancellationToken);

    public Task RequestVerificationAsync(string email, CancellationToken cancellationToken = default) =>
        PostAsync("request-verification", new JsonObject { ["email"] = email }, cancellationToken);

    public Task ConfirmVerificationAsync(string token, CancellationToken cancellationToken = default) =>
        PostAsync("confirm-verification", new JsonObject { ["token"] = token }, cancellationToken);

    public Task RequestEmailChangeAsync(string newEmail, CancellationToken cancellationToken = default) =>
        PostAsync("request-email-change", new JsonObject { ["newEmail"] = newEmail }, cancellationToken);

    public Task ConfirmEmailChangeAsync(string token, string password, CancellationToken cancellationToken = default) =>
        PostAsync("confirm-email-change", new JsonObject { ["token"] = token, ["password"] = password }, cancellationToken);

    /// <summary>The OAuth2 providers linked to a record (rows of <c>_externalAuths</c>).</summary>
    public Task<List<JsonObject>> ListExternalAuthsAsync(string recordId, CancellationToken cancellationToken = default) =>
        _client.Collection("_externalAuths").GetFullListAsync(
            new ListOptions { Filter = Filter.Format("recordRef = {:id}", new Dictionary<string, object?> { ["id"] = recordId }) },
            cancellationToken: cancellationToken);

    /// <summary>Unlinks an OAuth2 provider from a record.</summary>
    public async Task UnlinkExternalAuthAsync(string recordId, string provider, CancellationToken cancellationToken = default)
    {
        var row = await _client.Collection("_externalAuths").GetFirstListItemAsync(
            Filter.Format("recordRef = {:id} && provider = {:provider}", new Dictionary<string, object?> { ["id"] = recordId, ["provider"] = provider }),
            cancellationToken: cancellationToken);
        await _client.Collection("_externalAuths").DeleteAsync(JsonRead.String(row["id"]) ?? "", cancellationToken: cancellationToken);
    }

    private async Task<AuthResult> SignInAsync(string action, JsonObject body, string? mfaId, RecordOptions? options, CancellationToken cancellationToken)
    {
        if (mfaId is not null)
        {
            body["mfaId"] = mfaId;
        }

        var result = AuthResult.FromJson(await _client.SendAsync(HttpMethod.Post, CollectionPath + "/" + action, body, options, cancellationToken));
        await _client.AuthStore.SaveAsync(result.Token, result.Record, cancellationToken);
        return result;
    }

    private async Task PostAsync(string action, JsonObject body, CancellationToken cancellationToken) =>
        await _client.SendAsync(HttpMethod.Post, CollectionPath + "/" + action, body, null, cancellationToken);
}
