using Basalt.Dashboard;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Net.Http.Headers;

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

        var accept = context.Request.GetTypedHeaders().AcceptEncoding;
        var (body, encoding) = DashboardAssets.Open(asset, Accepts(accept, "br"), Accepts(accept, "gzip"));
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

                // The install and mail-link pages hold their token in the URL, which a browser would repeat in the
                // Referer of every API call the page makes (and the request log keeps referers).
                headers["Referrer-Policy"] = "no-referrer";
            }

            await body.CopyToAsync(context.Response.Body, context.RequestAborted);
        }
    }

    /// <summary>Whether the client takes <paramref name="coding"/>: named (or <c>*</c>) without <c>q=0</c>, which refuses it.</summary>
    private static bool Accepts(IList<StringWithQualityHeaderValue> accept, string coding)
    {
        var named = accept.FirstOrDefault(a => string.Equals(a.Value.Value, coding, StringComparison.OrdinalIgnoreCase))
            ?? accept.FirstOrDefault(a => a.Value.Value == "*");
        return named is not null && named.Quality is not 0.0;
    }
}
