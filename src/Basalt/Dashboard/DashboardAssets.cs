using System.Collections.Frozen;
using System.IO.Compression;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Basalt.Dashboard;

/// <summary>
/// The admin dashboard's files (src/Basalt.Dashboard, published trimmed and compressed when the engine is built) as
/// resources of this assembly, so every host of the engine serves <c>/_/</c> with nothing to deploy. The routes come
/// from the publish's static web assets manifest: fingerprinted names are immutable, the others revalidate, and
/// index.html is rewritten at start to name only fingerprinted files.
/// </summary>
internal sealed partial class DashboardAssets
{
    private const string Prefix = "dashboard/";
    private const string Index = "index.html";
    private static readonly Assembly Engine = typeof(DashboardAssets).Assembly;

    private readonly FrozenDictionary<string, DashboardAsset> _routes;

    private DashboardAssets(FrozenDictionary<string, DashboardAsset> routes, string contentSecurityPolicy)
    {
        _routes = routes;
        ContentSecurityPolicy = contentSecurityPolicy;
    }

    /// <summary>False when the engine was built without the dashboard (the manifest is missing).</summary>
    public bool Available => _routes.Count > 0;

    /// <summary>
    /// The policy of the dashboard's pages: WebAssembly needs 'wasm-unsafe-eval', and the import map Blazor writes
    /// into index.html is an inline script allowed by its hash; everything else comes from this origin.
    /// </summary>
    public string ContentSecurityPolicy { get; }

    public static DashboardAssets Load()
    {
        using var manifest = Engine.GetManifestResourceStream(Prefix + "endpoints.json");
        if (manifest is null)
        {
            return new DashboardAssets(FrozenDictionary<string, DashboardAsset>.Empty, "");
        }

        var routes = new Dictionary<string, DashboardAsset>(StringComparer.Ordinal);
        var fingerprinted = new Dictionary<string, string>(StringComparer.Ordinal);
        using var document = JsonDocument.Parse(manifest);
        foreach (var endpoint in document.RootElement.GetProperty("Endpoints").EnumerateArray())
        {
            var route = endpoint.GetProperty("Route").GetString() ?? "";
            var file = endpoint.GetProperty("AssetFile").GetString() ?? "";
            if (route.EndsWith(".gz", StringComparison.Ordinal) || route.EndsWith(".br", StringComparison.Ordinal))
            {
                continue;
            }

            if (Property(endpoint, "label") is { } label && Property(endpoint, "fingerprint") is not null && label != route)
            {
                fingerprinted[label] = route;
            }

            var asset = routes.GetValueOrDefault(route) ?? new DashboardAsset(Header(endpoint, "Content-Type") ?? "application/octet-stream", Header(endpoint, "Cache-Control") ?? "no-cache", null, null, null);
            asset = Header(endpoint, "Content-Encoding") switch
            {
                "gzip" => asset with { Gzip = Existing(file) },
                "br" => asset with { Brotli = Existing(file) },
                _ => asset with { Identity = Existing(file) },
            };
            routes[route] = asset;
        }

        foreach (var (route, asset) in routes)
        {
            if (asset.Identity is null && asset.Gzip is null && asset.Brotli is null)
            {
                routes.Remove(route);
            }
        }

        if (routes.GetValueOrDefault(Index) is { } index)
        {
            routes[Index] = index with { Page = DashboardPage.Of(PointAtFingerprints(Read(index), fingerprinted)) };
        }

        return new DashboardAssets(routes.ToFrozenDictionary(StringComparer.Ordinal), Policy(routes.GetValueOrDefault(Index)));
    }

    /// <summary>
    /// The publish fingerprints the framework's files in index.html but leaves the app's own stylesheet and script under
    /// their plain names, which must revalidate on every load. Pointing the page at the fingerprinted routes of the
    /// same files (the manifest's <c>label</c> to <c>route</c>) lets the browser keep them for a year, and a new
    /// build changes the URL. index.html itself stays <c>no-cache</c>, so it always names the current files.
    /// </summary>
    private static string PointAtFingerprints(string html, Dictionary<string, string> fingerprinted) =>
        AssetReference().Replace(html, m => fingerprinted.TryGetValue(m.Groups["url"].Value, out var route)
            ? $"{m.Groups["attr"].Value}=\"{route}\""
            : m.Value);

    [GeneratedRegex("(?<attr>href|src)=\"(?<url>[^\"]+)\"")]
    private static partial Regex AssetReference();

    private static string Read(DashboardAsset asset)
    {
        var (body, _) = Open(asset, acceptsBrotli: false, acceptsGzip: false);
        using var reader = new StreamReader(body, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    private static string? Property(JsonElement endpoint, string name)
    {
        if (!endpoint.TryGetProperty("EndpointProperties", out var properties))
        {
            return null;
        }

        foreach (var property in properties.EnumerateArray())
        {
            if (property.GetProperty("Name").GetString() == name)
            {
                return property.GetProperty("Value").GetString();
            }
        }

        return null;
    }

    public DashboardAsset? Find(string path) => _routes.GetValueOrDefault(path);

    /// <summary>Opens the body for the encodings the client accepts: brotli, then gzip, else the plain bytes.</summary>
    public static (Stream Body, string? Encoding) Open(DashboardAsset asset, bool acceptsBrotli, bool acceptsGzip)
    {
        if (asset.Page is { } page)
        {
            return acceptsBrotli ? (new MemoryStream(page.Brotli, writable: false), "br")
                : acceptsGzip ? (new MemoryStream(page.Gzip, writable: false), "gzip")
                : (new MemoryStream(page.Identity, writable: false), null);
        }

        if (acceptsBrotli && asset.Brotli is { } br)
        {
            return (Resource(br), "br");
        }

        if (acceptsGzip && asset.Gzip is { } gz)
        {
            return (Resource(gz), "gzip");
        }

        if (asset.Identity is { } plain)
        {
            return (Resource(plain), null);
        }

        // Only the compressed copies of big files are embedded; a client that takes neither gets them inflated here.
        return asset.Gzip is { } gzip
            ? (new GZipStream(Resource(gzip), CompressionMode.Decompress), null)
            : (new BrotliStream(Resource(asset.Brotli!), CompressionMode.Decompress), null);
    }

    private static Stream Resource(string file) =>
        Engine.GetManifestResourceStream(Prefix + file) ?? throw new InvalidOperationException("dashboard resource missing: " + file);

    private static string? Existing(string file) => Engine.GetManifestResourceInfo(Prefix + file) is null ? null : file;

    private static string? Header(JsonElement endpoint, string name)
    {
        foreach (var header in endpoint.GetProperty("ResponseHeaders").EnumerateArray())
        {
            if (header.GetProperty("Name").GetString() == name)
            {
                return header.GetProperty("Value").GetString();
            }
        }

        return null;
    }

    private static string Policy(DashboardAsset? index)
    {
        var hashes = new StringBuilder();
        if (index is not null)
        {
            var html = Read(index);
            const string Marker = "<script type=\"importmap\">";
            var start = html.IndexOf(Marker, StringComparison.Ordinal);
            var end = start < 0 ? -1 : html.IndexOf("</script>", start, StringComparison.Ordinal);
            if (end > 0)
            {
                var script = html[(start + Marker.Length)..end];
                hashes.Append(" 'sha256-").Append(Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(script)))).Append('\'');
            }
        }

        return "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'" + hashes + "; style-src 'self' 'unsafe-inline'; " +
            "img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'self'";
    }
}
