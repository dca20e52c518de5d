using System.Net;
using System.Text.Json.Nodes;
using Basalt.Client.Auth;

namespace Basalt.Client.Admin;

/// <summary>
/// The first run (<c>/api/superusers/install</c>): the one-time link <c>basalt serve</c> prints while no superuser
/// exists carries a token that creates the first superuser and signs in as it.
/// </summary>
public sealed class InstallService
{
    private const string Path = "api/superusers/install";
    private readonly BasaltClient _client;

    internal InstallService(BasaltClient client) => _client = client;

    /// <summary>True while <paramref name="token"/> can still create the first superuser (204), false once it expired or was used (404).</summary>
    public async Task<bool> IsUsableAsync(string token, CancellationToken cancellationToken = default)
    {
        var options = new RequestOptions();
        options.Query["token"] = token;
        try
        {
            await _client.SendAsync(HttpMethod.Get, Path, (HttpContent?)null, options, cancellationToken);
            return true;
        }
        catch (ClientResponseException e) when (e.Status == (int)HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    /// <summary>Creates the first superuser and signs in as it (the answer is that of a superuser's auth-with-password).</summary>
    public async Task<AuthResult> InstallAsync(string token, string email, string password, string passwordConfirm, CancellationToken cancellationToken = default)
    {
        var body = new JsonObject { ["token"] = token, ["email"] = email, ["password"] = password, ["passwordConfirm"] = passwordConfirm };
        var result = AuthResult.FromJson(await _client.SendAsync(HttpMethod.Post, Path, body, null, cancellationToken));
        await _client.AuthStore.SaveAsync(result.Token, result.Record, cancellationToken);
        return result;
    }
}
