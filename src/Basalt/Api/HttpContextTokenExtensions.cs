using Basalt.Auth;
using Basalt.Http;
using Microsoft.AspNetCore.Http;

namespace Basalt.Api;

/// <summary>The verified token of the request (with its claims), for the endpoints that need more than the record.</summary>
internal static class HttpContextTokenExtensions
{
    private const string Key = "basalt.authToken";

    public static AuthenticatedToken? GetAuthToken(this HttpContext context) =>
        context.Items.TryGetValue(Key, out var value) ? value as AuthenticatedToken : null;

    public static void SetAuthToken(this HttpContext context, AuthenticatedToken token)
    {
        context.Items[Key] = token;
        context.SetAuthRecord(token.Record);
    }
}
