using Basalt.Dashboard;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Basalt.Api;

/// <summary>
/// The admin dashboard at <c>/_/</c>: its embedded files with the encoding the browser accepts, and index.html for any
/// other path without a file extension (the app routes in the browser).
/// </summary>
public static class DashboardEndpoints
{
    public const string Root = "/_/";

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/_/{**path}", Serve);
    }

    private static async Task Serve(HttpContext context, string? path, DashboardAssets assets)
    {
        // The route matches "/_" too; relative URLs in the page need the slash.
        if (context.Request.Path.Value is not { } requested || !requested.StartsWith(Root, StringComparison.Ordinal))
        {
            context.Response.Redirect(Root);
            return;
        }

        var asset = assets.Find(string.IsNullOrEmpty(path) ? "index.html" : path);
        if (asset is null && (string.IsNullOrEmpty(path) || !Path.HasExtension(path)))
        {
            asset = assets.Find("index.html");
        }

        if (asset is null)
        {
            throw Errors.ApiError.NotFound();
        }

        var accept = context.Request.Headers.AcceptEncoding.ToString();
        var (body, encoding) = DashboardAssets.Open(
            asset, accept.Contains("br", StringComparison.OrdinalIgnoreCase), accept.Contains("gzip", StringComparison.OrdinalIgnoreCase));
        await using (body)
        {
            var headers = context.Response.Headers;
            context.Response.ContentType = asset.ContentType;
            headers.CacheControl = asset.CacheControl;
            headers.Vary = "Accept-Encoding";
            if (encoding is not null)
            {
                headers.ContentEncoding = encoding;
            }

            if (asset.ContentType.StartsWith("text/html", StringComparison.Ordinal))
            {
                headers.ContentSecurityPolicy = assets.ContentSecurityPolicy;
            }

            await body.CopyToAsync(context.Response.Body, context.RequestAborted);
        }
    }
}
