using System.Text.Json.Nodes;
using Basalt.Auth;
using Basalt.Http;
using Basalt.Model;
using Microsoft.AspNetCore.Http;

namespace Basalt.Api;

/// <summary>Builds the <see cref="SignIn"/> of a sign-in route from its request: the mfaId, client IP and user agent.</summary>
internal static class SignInRequest
{
    public static async Task<SignIn> CreateAsync(HttpContext context, JsonObject body, ClientIpResolver ips, Record record, string method) =>
        new(record, method, BodyText.MfaId(context.Request, body), await ips.ResolveAsync(context), context.Request.Headers.UserAgent.ToString());
}
