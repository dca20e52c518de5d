using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Basalt.Tests.Fixtures;

namespace Basalt.Tests.Api;

/// <summary>The cross-cutting behaviour of §1.1 and §11: security headers, CORS, HEAD, body limit, 404 and bad-input envelopes.</summary>
public abstract class PlatformMiddlewareTests(BasaltServerFixture server)
{
    [Fact]
    public async Task Health_answers_GET_with_PocketBase_body()
    {
        var (status, body) = await server.Guest.GetJsonAsync("/api/health");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(200, body!["code"]!.GetValue<int>());
        Assert.Equal("API is healthy.", body["message"]!.GetValue<string>());
        Assert.Empty(body["data"]!.AsObject());
    }

    [Fact]
    public async Task Health_answers_HEAD_with_no_body()
    {
        using var response = await server.Guest.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/api/health"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Health_shows_superusers_their_ip()
    {
        var (_, body) = await server.Superuser.GetJsonAsync("/api/health");

        Assert.Equal("127.0.0.1", body!["data"]!["realIP"]!.GetValue<string>());
        Assert.NotNull(body["data"]!["canBackup"]);
    }

    [Theory]
    [InlineData("GET", "/api/health")]
    [InlineData("GET", "/api/does-not-exist")]
    [InlineData("POST", "/api/collections/nope/auth-with-password")]
    public async Task Every_response_carries_the_security_headers(string method, string url)
    {
        using var response = await server.Guest.SendAsync(new HttpRequestMessage(new HttpMethod(method), url));

        Assert.Equal("1; mode=block", Header(response, "X-XSS-Protection"));
        Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
        Assert.Equal("SAMEORIGIN", Header(response, "X-Frame-Options"));
    }

    [Fact]
    public async Task Cors_preflight_short_circuits_with_the_allowed_methods()
    {
        using var request = new HttpRequestMessage(HttpMethod.Options, "/api/collections/posts/records");
        request.Headers.Add("Origin", "http://example.com");
        request.Headers.Add("Access-Control-Request-Method", "PATCH");
        request.Headers.Add("Access-Control-Request-Headers", "authorization,content-type");
        using var response = await server.Guest.SendAsync(request);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal("*", Header(response, "Access-Control-Allow-Origin"));
        var methods = Header(response, "Access-Control-Allow-Methods")!.Split(',').Select(m => m.Trim()).ToList();
        Assert.Equal(["GET", "HEAD", "PUT", "PATCH", "POST", "DELETE"], methods);
        Assert.Contains("authorization", Header(response, "Access-Control-Allow-Headers")!, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
    }

    [Fact]
    public async Task Cors_headers_are_on_simple_and_error_responses()
    {
        foreach (var url in new[] { "/api/health", "/api/nope" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.Add("Origin", "http://example.com");
            using var response = await server.Guest.SendAsync(request);

            Assert.Equal("*", Header(response, "Access-Control-Allow-Origin"));
        }
    }

    [Theory]
    [InlineData("GET", "/api/does-not-exist")]
    [InlineData("POST", "/api/does-not-exist")]
    [InlineData("DELETE", "/api/health/extra")]
    [InlineData("GET", "/not-api")]
    [InlineData("GET", "/api/collections/x/y/z/w/v")]
    public async Task Unmatched_routes_give_the_404_envelope(string method, string url)
    {
        var (status, body) = await server.Guest.SendJsonAsync(new HttpMethod(method), url);

        Assert.Equal(HttpStatusCode.NotFound, status);
        AssertEnvelope(body, 404, "The requested resource wasn't found.");
    }

    [Theory]
    [InlineData("{bad json")]
    [InlineData("[1,2,3]")]
    [InlineData("\"just a string\"")]
    [InlineData("{\"identity\": 5, \"password\": true}")]
    public async Task Malformed_json_bodies_give_400_envelopes(string raw)
    {
        var (status, body) = await server.Guest.PostJsonAsync("/api/collections/_superusers/auth-with-password", raw);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(400, body!["status"]!.GetValue<int>());
        Assert.IsType<JsonObject>(body["data"]);
    }

    [Fact]
    public async Task Unsupported_content_type_gives_400_envelope()
    {
        using var content = new StringContent("<xml/>", Encoding.UTF8, "application/octet-stream");
        using var response = await server.Guest.PostAsync("/api/collections/_superusers/auth-with-password", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(400, JsonNode.Parse(await response.Content.ReadAsStringAsync())!["status"]!.GetValue<int>());
    }

    [Fact]
    public async Task Body_over_32_MiB_gives_413_envelope_before_it_is_sent()
    {
        // A raw request that announces 32 MiB + 1 and sends nothing: the limit must act on the header alone.
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(server.BaseAddress.Host, server.BaseAddress.Port);
        var stream = tcp.GetStream();
        var head = "POST /api/collections/_superusers/auth-with-password HTTP/1.1\r\n" +
            $"Host: {server.BaseAddress.Authority}\r\nContent-Type: application/json\r\nContent-Length: {(32L << 20) + 1}\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
        var response = await ReadResponseAsync(stream);

        Assert.StartsWith("HTTP/1.1 413", response, StringComparison.Ordinal);
        var start = response.IndexOf('{', StringComparison.Ordinal);
        var body = JsonNode.Parse(response[start..(response.LastIndexOf('}') + 1)]);
        AssertEnvelope(body, 413, "Request entity too large.");
    }

    [Fact]
    public async Task Body_above_Kestrels_default_but_under_32_MiB_is_read()
    {
        // Kestrel alone would refuse anything over 30,000,000 bytes; Basalt's limit is PocketBase's 32 MiB.
        var padding = new string(' ', 31 << 20);
        var (status, body) = await server.Guest.PostJsonAsync("/api/collections/_superusers/auth-with-password", "{\"identity\":\"x@example.com\",\"password\":\"nope\"}" + padding);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        AssertEnvelope(body, 400, "Failed to authenticate.");
    }

    internal static void AssertEnvelope(JsonNode? body, int status, string message)
    {
        Assert.NotNull(body);
        Assert.Equal(status, body["status"]!.GetValue<int>());
        Assert.Equal(message, body["message"]!.GetValue<string>());
        Assert.IsType<JsonObject>(body["data"]);
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values)
            ? string.Join(",", values)
            : null;

    private static async Task<string> ReadResponseAsync(NetworkStream stream)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var buffer = new byte[8192];
        var text = new StringBuilder();
        while (true)
        {
            var read = await stream.ReadAsync(buffer, cts.Token);
            if (read == 0)
            {
                return text.ToString();
            }

            text.Append(Encoding.UTF8.GetString(buffer, 0, read));
            var s = text.ToString();
            if (s.Contains("\r\n\r\n", StringComparison.Ordinal) && s.Contains("\"data\"", StringComparison.Ordinal) && s.TrimEnd().EndsWith('}'))
            {
                return s;
            }
        }
    }
}

public sealed class PlatformMiddlewareSqliteTests(SqliteServerFixture f) : PlatformMiddlewareTests(f), IClassFixture<SqliteServerFixture>;

public sealed class PlatformMiddlewarePostgresTests(PostgresServerFixture f) : PlatformMiddlewareTests(f), IClassFixture<PostgresServerFixture>;
