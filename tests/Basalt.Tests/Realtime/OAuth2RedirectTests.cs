using System.Net;
using System.Text.Json.Nodes;
using Basalt.Realtime;
using Basalt.Tests.Fixtures;

namespace Basalt.Tests.Realtime;

/// <summary><c>/api/oauth2-redirect</c> (§7.2, §7.3): the code reaches the realtime client named by <c>state</c>, and no other.</summary>
public abstract class OAuth2RedirectTests(BasaltServerFixture server)
{
    private const string Marker = "marker";

    [Fact]
    public async Task Get_sends_the_code_to_the_subscribed_client_and_answers_a_closing_page()
    {
        await using var sse = await Subscribed(server.Guest);

        using var response = await server.Guest.GetAsync($"/api/oauth2-redirect?state={sse.ClientId}&code=the-code");
        var page = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("data-oauth2=\"success\"", page, StringComparison.Ordinal);
        Assert.Contains("window.close()", page, StringComparison.Ordinal);
        Assert.Contains("default-src 'none'", string.Join(";", response.Headers.GetValues("Content-Security-Policy")), StringComparison.Ordinal);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));

        var frame = await sse.ReadAsync();
        Assert.Equal("@oauth2", frame!.Event);
        Assert.Equal(sse.ClientId, frame.Id);
        var data = JsonNode.Parse(frame.Data)!;
        Assert.Equal(sse.ClientId, data["state"]!.GetValue<string>());
        Assert.Equal("the-code", data["code"]!.GetValue<string>());
        Assert.Null(data["error"]);
    }

    [Fact]
    public async Task Form_post_sends_the_code_and_a_provider_error_is_passed_on_with_a_failure_page()
    {
        await using var sse = await Subscribed(server.Guest);

        using var posted = await server.Guest.PostAsync("/api/oauth2-redirect", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["state"] = sse.ClientId,
            ["code"] = "posted-code",
            ["user"] = """{"name":{"firstName":"A"}}""",
        }));
        Assert.Contains("data-oauth2=\"success\"", await posted.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("posted-code", JsonNode.Parse((await sse.ReadAsync())!.Data)!["code"]!.GetValue<string>());

        using var denied = await server.Guest.GetAsync($"/api/oauth2-redirect?state={sse.ClientId}&error=access_denied");
        Assert.Contains("data-oauth2=\"failure\"", await denied.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var data = JsonNode.Parse((await sse.ReadAsync())!.Data)!;
        Assert.Equal("access_denied", data["error"]!.GetValue<string>());
        Assert.Equal("", data["code"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("unknown")]
    [InlineData("missing")]
    [InlineData("not-subscribed")]
    [InlineData("other-ip")]
    public async Task A_wrong_state_gets_a_failure_page_and_nothing_is_sent(string kind)
    {
        await using var sse = await Subscribed(server.Guest);
        await using var unsubscribed = await SseConnection.OpenAsync(server.NewClient());
        using var otherIp = SseConnection.FromAddress(server.BaseAddress, IPAddress.Parse("127.0.0.3"));
        var (client, query) = kind switch
        {
            "unknown" => (server.Guest, "?state=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA&code=c"),
            "missing" => (server.Guest, "?code=c"),
            "not-subscribed" => (server.Guest, $"?state={unsubscribed.ClientId}&code=c"),
            _ => (otherIp, $"?state={sse.ClientId}&code=c"),
        };

        using var response = await client.GetAsync("/api/oauth2-redirect" + query);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("data-oauth2=\"failure\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await server.Services.GetRequiredService<IRealtimeBroker>().PublishAsync(new RealtimePublication(Marker, "{}"), CancellationToken.None);
        Assert.Equal(Marker, (await sse.ReadAsync())!.Event);
    }

    private static async Task<SseConnection> Subscribed(HttpClient client)
    {
        var sse = await SseConnection.OpenAsync(client);
        var (status, _) = await RealtimeTests.Subscribe(client, sse.ClientId, RealtimeTopics.OAuth2, Marker);
        Assert.Equal(HttpStatusCode.NoContent, status);
        return sse;
    }
}

public sealed class OAuth2RedirectSqliteTests(SqliteServerFixture f) : OAuth2RedirectTests(f), IClassFixture<SqliteServerFixture>;

public sealed class OAuth2RedirectPostgresTests(PostgresServerFixture f) : OAuth2RedirectTests(f), IClassFixture<PostgresServerFixture>;

