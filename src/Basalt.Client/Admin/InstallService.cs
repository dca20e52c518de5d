using System.Text.Json.Nodes;
using Basalt.Client.Auth;

namespace Basalt.Client.Admin;

/// <summary>The first run: the one-time link <c>basalt serve</c> prints while no superuser exists (<c>/api/superusers/install</c>).</summary>
public sealed class InstallService
{
    private const string Path = "api/superusers/install";
    private readonly BasaltClient _client;

    internal InstallService(BasaltClient client) => _client = client;

    /// <summary>True while the link's <paramref name="token"/> can still create the first superuser (unexpired and unused).</summary>
    public async Task<bool> IsUsableAsync(string token, CancellationToken cancellationToken = default)
    {
        var options = new RequestOptions();
        options.Query["token"] = token;
        try
        {
            await _client.SendAsync(HttpMethod.Get, Path, (HttpContent?)null, options, cancellationToken);
            return true;
        }
        catch (ClientResponseException e) when (e.Status == 404)
        {
            return false;
        }
    }

    /// <summary>Creates the first superuser and signs in as it (the auth store keeps the token).</summary>
    public async Task<AuthResult> CreateSuperuserAsync(string token, string email, string password, string passwordConfirm, CancellationToken cancellationToken = default)
    {
        var body = new JsonObject { ["token"] = token, ["email"] = email, ["password"] = password, ["passwordConfirm"] = passwordConfirm };
        var result = AuthResult.FromJson(await _client.SendAsync(HttpMethod.Post, Path, body, null, cancellationToken));
        await _client.AuthStore.SaveAsync(result.Token, result.Record, cancellationToken);
        return result;
    }
}
