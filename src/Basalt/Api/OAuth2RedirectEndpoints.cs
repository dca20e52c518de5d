using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Basalt.Http;
using Basalt.Realtime;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Basalt.Api;

/// <summary>
/// <c>/api/oauth2-redirect</c> (§7.2, §7.3 "SDK all-in-one"): the provider sends the popup here with <c>state</c> (the
/// SDK's realtime client id) and <c>code</c>; the code goes to that client as the <c>@oauth2</c> event, and the popup
/// gets a small page that closes itself. There is no admin UI to redirect to yet, and the SDK never reads the popup.
/// </summary>
public static class OAuth2RedirectEndpoints
{
    private const string CloseScript = "window.close();";

    // The page's only script, allowed by its hash so the CSP needs no 'unsafe-inline'.
    private static readonly string ScriptHash = Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(CloseScript)));

    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/oauth2-redirect", RedirectAsync);
        api.MapPost("/oauth2-redirect", RedirectAsync);
    }

    /// <summary>
    /// Query for GET; the form for POST (<c>response_mode=form_post</c>, e.g. Apple, whose extra <c>user</c> is ignored).
    /// Nothing is sent unless <c>state</c> names a live client subscribed to <c>@oauth2</c> from the same IP (of this node, or
    /// of another node of the database, which checks it).
    /// </summary>
    private static async Task RedirectAsync(HttpContext context, RealtimeClientRegistry registry, IRealtimeBroker broker, ClientIpResolver ips)
    {
        var (state, code, error) = await ReadAsync(context.Request, context.RequestAborted);
        var ip = await ips.ResolveAsync(context);
        var client = state.Length == 0 ? null : registry.Find(state);
        // A client this node does not know may be connected to another node of the database: there the broker checks
        // the same three things (the client, its IP, its subscription) before it delivers.
        var delivered = client is not null
            ? string.Equals(client.Ip, ip, StringComparison.Ordinal) && client.HasSubscription(RealtimeTopics.OAuth2)
            : state.Length > 0 && await broker.HasPeersAsync(context.RequestAborted);
        if (delivered)
        {
            var data = new JsonObject { ["state"] = state, ["code"] = code };
            if (error.Length > 0)
            {
                data["error"] = error;
            }

            await broker.PublishAsync(new RealtimePublication(RealtimeTopics.OAuth2, data.ToJsonString(), state, ip), context.RequestAborted);
        }

        await WritePageAsync(context.Response, delivered && error.Length == 0 && code.Length > 0);
    }

    private static async Task<(string State, string Code, string Error)> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (HttpMethods.IsPost(request.Method) && request.HasFormContentType)
        {
            var form = await request.ReadFormAsync(cancellationToken);
            return (form["state"].ToString(), form["code"].ToString(), form["error"].ToString());
        }

        return (request.Query["state"].ToString(), request.Query["code"].ToString(), request.Query["error"].ToString());
    }

    private static Task WritePageAsync(HttpResponse response, bool success)
    {
        var title = success ? "Authentication completed" : "Authentication failed";
        var text = success
            ? "You can close this window and go back to the app."
            : "The sign-in could not be completed. Close this window and try again from the app.";
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "text/html; charset=utf-8";
        response.Headers.CacheControl = "no-store";
        response.Headers.ContentSecurityPolicy = $"default-src 'none'; script-src 'sha256-{ScriptHash}'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
        return response.WriteAsync(
            $"""
            <!doctype html>
            <html lang="en">
            <head><meta charset="utf-8"><title>{WebUtility.HtmlEncode(title)}</title></head>
            <body data-oauth2="{(success ? "success" : "failure")}">
            <h1>{WebUtility.HtmlEncode(title)}</h1>
            <p>{WebUtility.HtmlEncode(text)}</p>
            <script>{CloseScript}</script>
            </body>
            </html>
            """);
    }
}
