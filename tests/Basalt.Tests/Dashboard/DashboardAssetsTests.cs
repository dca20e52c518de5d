using System.IO.Compression;
using System.Net;
using System.Text.RegularExpressions;
using Basalt.Tests.Fixtures;

namespace Basalt.Tests.Dashboard;

/// <summary>
/// How <c>/_/</c> is cached: index.html revalidates on every load and names only fingerprinted files, which a browser
/// keeps for a year. SQLite only: serving the dashboard does not touch storage.
/// </summary>
public sealed partial class DashboardAssetsTests(SqliteServerFixture server) : IClassFixture<SqliteServerFixture>
{
    private const string Immutable = "max-age=31536000, immutable";

    [Theory]
    [InlineData("/_/")]
    [InlineData("/_/collections/posts")]
    public async Task The_page_is_no_cache_and_every_file_it_names_is_fingerprinted_immutable_and_served(string path)
    {
        var (page, html) = await GetAsync(path, "br, gzip");
        var references = References(html);
        var answers = new List<(string Url, HttpStatusCode Status, string? CacheControl, long Length)>();
        foreach (var url in references)
        {
            var (file, body) = await GetAsync("/_/" + url.TrimStart('.', '/'), "br, gzip");
            answers.Add((url, file.StatusCode, file.Headers.CacheControl?.ToString(), body.Length));
        }

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("no-cache", page.Headers.CacheControl?.ToString());
        Assert.StartsWith("text/html", page.Content.Headers.ContentType?.ToString(), StringComparison.Ordinal);
        Assert.Contains(references, u => CssFile().IsMatch(u));
        Assert.Contains(references, u => ScriptFile().IsMatch(u));
        Assert.Contains(references, u => BootFile().IsMatch(u));
        Assert.Contains(references, u => u.Contains("_framework/blazor.webassembly.", StringComparison.Ordinal));
        Assert.DoesNotContain("\"css/app.css\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("\"js/dashboard.js\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("\"js/boot.js\"", html, StringComparison.Ordinal);
        Assert.All(answers, a =>
        {
            Assert.True(a.Status == HttpStatusCode.OK, $"{a.Url}: {a.Status}");
            Assert.True(a.CacheControl == Immutable, $"{a.Url}: {a.CacheControl}");
            Assert.True(a.Length > 0, a.Url);
        });
    }

    [Theory]
    [InlineData("br", "br")]
    [InlineData("gzip", "gzip")]
    [InlineData("", null)]
    [InlineData("br;q=0, gzip", "gzip")]
    [InlineData("br;q=0, gzip;q=0", null)]
    public async Task The_page_comes_in_the_encoding_asked_for_with_the_same_content(string accept, string? encoding)
    {
        var (plain, plainHtml) = await GetAsync("/_/", "");
        var (page, html) = await GetAsync("/_/", accept);

        Assert.Equal(encoding, page.Content.Headers.ContentEncoding.SingleOrDefault());
        Assert.Equal(plainHtml, html);
        Assert.Equal("no-cache", plain.Headers.CacheControl?.ToString());
        Assert.NotNull(page.Headers.GetValues("Content-Security-Policy").Single());
    }

    [Theory]
    [InlineData("/_/auth/confirm-password-reset?token=a.b.c")]
    [InlineData("/_/auth/confirm-verification?token=a.b.c")]
    [InlineData("/_/install?token=abc")]
    public async Task A_page_holding_a_token_in_its_url_sends_no_referer(string path)
    {
        // The page's API calls would otherwise repeat its URL, token included, in their Referer.
        var (page, _) = await GetAsync(path, "gzip");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("no-referrer", page.Headers.GetValues("Referrer-Policy").Single());
    }

    [Fact]
    public async Task The_plain_names_still_answer_and_revalidate()
    {
        var (css, body) = await GetAsync("/_/css/app.css", "gzip");

        Assert.Equal(HttpStatusCode.OK, css.StatusCode);
        Assert.Equal("no-cache", css.Headers.CacheControl?.ToString());
        Assert.NotEmpty(body);
    }

    /// <summary>The local URLs the page loads: link and script attributes, and the import map's targets.</summary>
    private static List<string> References(string html) =>
        Attribute().Matches(html).Select(m => m.Groups["url"].Value)
            .Concat(ImportTarget().Matches(html).Select(m => m.Groups["url"].Value))
            .Where(u => !u.StartsWith('/') && !u.Contains(':', StringComparison.Ordinal))
            .Distinct(StringComparer.Ordinal).ToList();

    /// <summary>GETs <paramref name="path"/> with exactly the given Accept-Encoding and returns the body decoded by hand.</summary>
    private async Task<(HttpResponseMessage Response, string Body)> GetAsync(string path, string acceptEncoding)
    {
        using var client = new HttpClient(new HttpClientHandler { AutomaticDecompression = DecompressionMethods.None }) { BaseAddress = server.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (acceptEncoding.Length > 0)
        {
            request.Headers.TryAddWithoutValidation("Accept-Encoding", acceptEncoding);
        }

        var response = await client.SendAsync(request);
        var raw = await response.Content.ReadAsStreamAsync();
        await using Stream body = response.Content.Headers.ContentEncoding.SingleOrDefault() switch
        {
            "br" => new BrotliStream(raw, CompressionMode.Decompress),
            "gzip" => new GZipStream(raw, CompressionMode.Decompress),
            _ => raw,
        };
        using var reader = new StreamReader(body);
        return (response, await reader.ReadToEndAsync());
    }

    [GeneratedRegex("(?:href|src)=\"(?<url>[^\"]+)\"")]
    private static partial Regex Attribute();

    [GeneratedRegex("\": \"(?<url>\\./_framework/[^\"]+)\"")]
    private static partial Regex ImportTarget();

    [GeneratedRegex(@"^css/app\.[a-z0-9]+\.css$")]
    private static partial Regex CssFile();

    [GeneratedRegex(@"^js/dashboard\.[a-z0-9]+\.js$")]
    private static partial Regex ScriptFile();

    [GeneratedRegex(@"^js/boot\.[a-z0-9]+\.js$")]
    private static partial Regex BootFile();
}
