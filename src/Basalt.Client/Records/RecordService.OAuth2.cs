using System.Text.Json.Nodes;
using Basalt.Client.Auth;

namespace Basalt.Client.Records;

/// <summary>The all-in-one OAuth2 flow (§7.3, the JS SDK's <c>authWithOAuth2</c>): the code comes back over realtime.</summary>
public sealed partial class RecordService
{
    /// <summary>The realtime topic <c>/api/oauth2-redirect</c> sends the provider's code on.</summary>
    private const string OAuth2Topic = "@oauth2";

    /// <summary>
    /// Signs in with <paramref name="provider"/> as the JS SDK's <c>authWithOAuth2</c> does: subscribes to <c>@oauth2</c>,
    /// hands <paramref name="openUrl"/> the provider's authorization URL (its <c>state</c> is the realtime client id, its
    /// redirect <c>/api/oauth2-redirect</c> on this server), waits for the code the redirect sends over realtime, and
    /// exchanges it. <paramref name="openUrl"/> shows the URL to the user (a popup, a browser); the wait ends with
    /// <paramref name="cancellationToken"/> (say, when the user closes the popup). MFA works as for the other methods.
    /// </summary>
    public async Task<AuthResult> AuthWithOAuth2Async(
        string provider, Func<Uri, CancellationToken, Task> openUrl, OAuth2SignInOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(openUrl);
        var methods = await ListAuthMethodsAsync(null, cancellationToken);
        var method = methods.Providers.FirstOrDefault(p => p.Name == provider)
            ?? throw new ClientResponseException($"The collection has no OAuth2 provider \"{provider}\".");
        var redirectUrl = new Uri(_client.BaseAddress, "api/oauth2-redirect").AbsoluteUri;
        var answer = new TaskCompletionSource<JsonObject>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var subscription = await _client.Realtime.SubscribeAsync(
            OAuth2Topic, message => answer.TrySetResult(message.Data as JsonObject ?? []), cancellationToken: cancellationToken);
        var state = _client.Realtime.ClientId;

        await openUrl(new Uri(AuthorizationUrl(method.AuthUrl + Uri.EscapeDataString(redirectUrl), state, options?.Scopes)), cancellationToken);
        var data = await answer.Task.WaitAsync(cancellationToken);
        options?.AnswerReceived?.Invoke();
        await subscription.UnsubscribeAsync(CancellationToken.None);

        // The state is this connection's id: an answer for another flow (or none) is refused here, as the JS SDK does.
        if (JsonRead.String(data["state"]) != state)
        {
            throw new ClientResponseException("The OAuth2 redirect's state does not match this sign-in.");
        }

        var error = JsonRead.String(data["error"]);
        if (!string.IsNullOrEmpty(error) || JsonRead.String(data["code"]) is not { Length: > 0 } code)
        {
            throw new ClientResponseException($"The OAuth2 provider did not sign the user in ({(string.IsNullOrEmpty(error) ? "no code" : error)}).");
        }

        return await AuthWithOAuth2CodeAsync(provider, code, method.CodeVerifier, redirectUrl, options?.CreateData, options?.MfaId, options?.Record, cancellationToken);
    }

    /// <summary>Replaces the <c>state</c> (and <c>scope</c>, when given) of an authorization URL, keeping the other parameters.</summary>
    private static string AuthorizationUrl(string url, string state, IReadOnlyList<string>? scopes)
    {
        var query = url.IndexOf('?', StringComparison.Ordinal);
        if (query < 0)
        {
            return url;
        }

        var replacements = new Dictionary<string, string>(StringComparer.Ordinal) { ["state"] = state };
        if (scopes is { Count: > 0 })
        {
            replacements["scope"] = string.Join(' ', scopes);
        }

        var parameters = url[(query + 1)..].Split('&', StringSplitOptions.RemoveEmptyEntries).Select(p =>
        {
            var name = Uri.UnescapeDataString(p.Split('=', 2)[0]);
            return replacements.Remove(name, out var value) ? Uri.EscapeDataString(name) + "=" + Uri.EscapeDataString(value) : p;
        }).ToList();
        parameters.AddRange(replacements.Select(r => Uri.EscapeDataString(r.Key) + "=" + Uri.EscapeDataString(r.Value)));
        return url[..(query + 1)] + string.Join('&', parameters);
    }
}
