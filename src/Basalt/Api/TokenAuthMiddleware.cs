using Basalt.Auth;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Basalt.Api;

/// <summary>
/// Loads the auth record named by <c>Authorization: [Bearer ]&lt;token&gt;</c>. Anything invalid or expired is ignored:
/// the request goes on as a guest and the route answers by its own rules (§1.5).
/// </summary>
internal sealed class TokenAuthMiddleware(RequestDelegate next, AuthService auth, ILogger<TokenAuthMiddleware> logger)
{
    private const string BearerPrefix = "Bearer ";

    public async Task InvokeAsync(HttpContext context)
    {
        var token = ReadToken(context.Request);
        if (token.Length > 0)
        {
            if (await auth.AuthenticateAsync(token, context.RequestAborted) is { } authenticated)
            {
                context.SetAuthToken(authenticated);
            }
            else
            {
                Log.TokenRejected(logger, context.Request.Method, context.Request.Path);
            }
        }

        await next(context);
    }

    private static string ReadToken(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString().Trim();
        return header.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase)
            ? header[BearerPrefix.Length..].Trim()
            : header;
    }
}
