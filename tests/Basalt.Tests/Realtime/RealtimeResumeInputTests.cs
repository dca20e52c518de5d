using System.Net;
using System.Text.Json.Nodes;
using Basalt.Realtime;
using Basalt.Tests.Fixtures;

namespace Basalt.Tests.Realtime;

/// <summary>
/// What a client may present as the id it resumes after: anything that is not a change-log id means no resume (never
/// an error), an id past the log's head gets PB_RESET, and only the first subscribe of a connection may resume, so a
/// later one cannot have the events it already got sent again.
/// </summary>
public abstract class RealtimeResumeInputTests(BasaltServerFixture server)
{
    [Theory]
    [InlineData("-1")]
    [InlineData("abc")]
    [InlineData("1e3")]
    [InlineData("0x10")]
    [InlineData("99999999999999999999999999")]
    [InlineData("")]
    public async Task A_value_that_is_no_change_log_id_means_no_resume(string value)
    {
        var name = await CollectionAsync();
        await using var sse = await SseConnection.OpenAsync(server.Guest, value);
        var (status, body) = await server.Guest.PostJsonAsync(
            "/api/realtime?lastEventId=" + Uri.EscapeDataString(value), new { clientId = sse.ClientId, subscriptions = new[] { name + "/*" } });
        Assert.True(status == HttpStatusCode.NoContent, body?.ToJsonString());

        var id = await CreateAsync(name);

        var frame = await sse.ReadAsync();
        Assert.Equal(name + "/*", frame!.Event);
        Assert.Equal(id, JsonNode.Parse(frame.Data)!["record"]!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_id_past_the_head_of_the_log_gets_the_reset_event()
    {
        var name = await CollectionAsync();
        await using var sse = await SseConnection.OpenAsync(server.Guest, long.MaxValue.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(HttpStatusCode.NoContent, (await RealtimeTests.Subscribe(server.Guest, sse.ClientId, name + "/*")).Status);
        var id = await CreateAsync(name);

        Assert.Equal(RealtimeTopics.Reset, (await sse.ReadAsync())!.Event);
        Assert.Equal(id, JsonNode.Parse((await sse.ReadAsync())!.Data)!["record"]!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_later_subscribe_with_an_id_does_not_replay_what_the_connection_already_got()
    {
        var name = await CollectionAsync();
        await using var sse = await SseConnection.OpenAsync(server.Guest);
        Assert.Equal(HttpStatusCode.NoContent, (await RealtimeTests.Subscribe(server.Guest, sse.ClientId, name + "/*")).Status);
        var first = await CreateAsync(name);
        var got = await sse.ReadAsync();
        Assert.Equal(first, JsonNode.Parse(got!.Data)!["record"]!["id"]!.GetValue<string>());

        var (status, body) = await server.Guest.PostJsonAsync(
            "/api/realtime?lastEventId=0", new { clientId = sse.ClientId, subscriptions = new[] { name + "/*" } });
        Assert.True(status == HttpStatusCode.NoContent, body?.ToJsonString());
        var second = await CreateAsync(name);

        Assert.Equal(second, JsonNode.Parse((await sse.ReadAsync())!.Data)!["record"]!["id"]!.GetValue<string>());
    }

    private Task<string> CollectionAsync() => server.Superuser.CreateOpenCollectionAsync("resumeinput");

    private async Task<string> CreateAsync(string collection)
    {
        var (status, created) = await server.Superuser.PostJsonAsync($"/api/collections/{collection}/records", new { title = "t" });
        Assert.True(status == HttpStatusCode.OK, created?.ToJsonString());
        return created!["id"]!.GetValue<string>();
    }
}

public sealed class RealtimeResumeInputSqliteTests(SqliteServerFixture f) : RealtimeResumeInputTests(f), IClassFixture<SqliteServerFixture>;

public sealed class RealtimeResumeInputPostgresTests(PostgresServerFixture f) : RealtimeResumeInputTests(f), IClassFixture<PostgresServerFixture>;
