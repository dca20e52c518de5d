using System.Net;
using System.Text.Json.Nodes;
using Basalt.Tests.Fixtures;
using Basalt.Tests.Realtime;

namespace Basalt.Tests.Api;

/// <summary>Realtime for a batch: its events leave after its commit, in the order of its writes; a failed batch sends none.</summary>
public abstract partial class BatchTests
{
    [Fact]
    public async Task A_committed_batch_sends_its_events_in_order()
    {
        await SetBatchAsync();
        var name = HttpJson.UniqueName("batchrt");
        await CreateCollectionAsync(name, TitleField);
        await using var sse = await SseConnection.OpenAsync(Server.NewClient());
        await SubscribeAsync(sse.ClientId, name + "/*");

        // Created while subscribed and its event read first: on PostgreSQL a create answered just before the subscribe
        // may still be ahead of the realtime reader (held back by any open write transaction on the server), and then
        // reaches a subscriber that came after it.
        var doomed = await CreateRecordAsync(name, new { title = "doomed" });
        Assert.Equal("doomed", JsonNode.Parse((await sse.ReadAsync())!.Data)!["record"]!["title"]!.GetValue<string>());

        var (status, body) = await Superuser.PostJsonAsync("/api/batch", new
        {
            requests = new object[]
            {
                Create(name, new { id = "batchrtrecord01", title = "first" }),
                new { method = "PATCH", url = Records(name, "batchrtrecord01"), body = new { title = "first, edited" } },
                new { method = "DELETE", url = Records(name, Id(doomed)) },
                Create(name, new { title = "second" }),
            },
        });
        Assert.True(status == HttpStatusCode.OK, body?.ToJsonString());

        var events = new List<(string Action, string Title)>();
        for (var i = 0; i < 4; i++)
        {
            var data = JsonNode.Parse((await sse.ReadAsync())!.Data)!;
            events.Add((data["action"]!.GetValue<string>(), data["record"]!["title"]!.GetValue<string>()));
        }

        Assert.Equal([("create", "first"), ("update", "first, edited"), ("delete", "doomed"), ("create", "second")], events);
    }

    [Fact]
    public async Task A_failed_batch_sends_no_event()
    {
        await SetBatchAsync();
        var name = HttpJson.UniqueName("batchrt");
        await CreateCollectionAsync(name, TitleField);
        await using var sse = await SseConnection.OpenAsync(Server.NewClient());
        await SubscribeAsync(sse.ClientId, name + "/*");

        // Created while subscribed, its event read first (see the test above).
        var kept = await CreateRecordAsync(name, new { title = "kept" });
        Assert.Equal("kept", JsonNode.Parse((await sse.ReadAsync())!.Data)!["record"]!["title"]!.GetValue<string>());

        var failed = await Superuser.PostJsonAsync("/api/batch", new
        {
            requests = new object[]
            {
                Create(name, new { title = "rolled back" }),
                new { method = "DELETE", url = Records(name, Id(kept)) },
                Create(name, new { title = "" }),
            },
        });
        AssertFailedAt(2, failed, 400);
        await CreateRecordAsync(name, new { title = "marker" });

        // The marker is written after the failed batch, so an event of the batch would have arrived before it.
        var data = JsonNode.Parse((await sse.ReadAsync())!.Data)!;
        Assert.Equal("create", data["action"]!.GetValue<string>());
        Assert.Equal("marker", data["record"]!["title"]!.GetValue<string>());
    }

    private async Task SubscribeAsync(string clientId, params string[] topics) =>
        Assert.Equal(HttpStatusCode.NoContent, (await RealtimeTests.Subscribe(Guest, clientId, topics)).Status);
}
