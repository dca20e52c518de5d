using Basalt.Common;
using Basalt.Realtime;
using Basalt.Tests.Fixtures;
using Microsoft.Extensions.Logging.Abstractions;

namespace Basalt.Tests.Realtime;

/// <summary>The client, registry and frame format without a server: the slow-client bound, matching, options parsing.</summary>
public sealed class RealtimeClientTests
{
    [Fact]
    public void A_client_a_whole_queue_behind_is_closed_instead_of_buffering()
    {
        var slow = 0;
        using var client = new RealtimeClient("c", "127.0.0.1", queueCapacity: 2, tooSlow: _ => slow++);
        var frame = SseFrames.Message("c", "a", "{}");

        Assert.True(client.Send(frame));
        Assert.True(client.Send(frame));
        Assert.False(client.Send(frame));
        Assert.True(client.IsClosed);
        Assert.False(client.Send(frame));
        Assert.Equal(1, slow);
    }

    [Fact]
    public void Deliver_matches_the_topic_or_the_topic_with_options_and_honours_the_target_and_ip()
    {
        var registry = new RealtimeClientRegistry(NullLogger<RealtimeClientRegistry>.Instance);
        var first = registry.Connect("10.0.0.1");
        var second = registry.Connect("10.0.0.2");
        Assert.True(first.TryBind(null, [Parse("posts/*"), Parse("posts/*?options=%7B%7D"), Parse("posts/*x")]));
        Assert.True(second.TryBind(null, [Parse("posts/*")]));

        Assert.Equal(3, registry.Deliver(new RealtimePublication("posts/*", "{}")));
        Assert.Equal(0, registry.Deliver(new RealtimePublication("posts/*", "{}", first.Id, "10.0.0.2")));
        Assert.Equal(1, registry.Deliver(new RealtimePublication("posts/*", "{}", second.Id, "10.0.0.2")));
        Assert.Equal(0, registry.Deliver(new RealtimePublication("posts", "{}")));

        registry.Remove(first);
        Assert.Null(registry.Find(first.Id));
        Assert.Equal(1, registry.Count);
    }

    [Fact]
    public void Connects_and_disconnects_are_logged_at_debug_and_a_client_dropped_for_a_full_queue_as_a_warning_once()
    {
        var logs = new CapturedLogs();
        var registry = new RealtimeClientRegistry(logs.CreateLogger<RealtimeClientRegistry>());
        var slow = registry.Connect("10.0.0.9", queueCapacity: 1);
        Assert.True(slow.TryBind(null, [Parse("posts/*")]));

        Assert.Equal(1, registry.Deliver(new RealtimePublication("posts/*", "{}")));
        Assert.Equal(1, registry.Queued);
        Assert.Equal(0, registry.Deliver(new RealtimePublication("posts/*", "{}")));
        Assert.Equal(0, registry.Deliver(new RealtimePublication("posts/*", "{}")));
        registry.Remove(slow);
        registry.Remove(slow);

        var connected = Assert.Single(logs.WithId(BasaltEventIds.RealtimeClientConnected));
        var dropped = Assert.Single(logs.WithId(BasaltEventIds.RealtimeClientTooSlow));
        var disconnected = Assert.Single(logs.WithId(BasaltEventIds.RealtimeClientDisconnected));
        Assert.Equal((LogLevel.Debug, LogLevel.Warning, LogLevel.Debug), (connected.Level, dropped.Level, disconnected.Level));
        Assert.Equal(slow.Id, dropped["ClientId"]);
        Assert.Equal("10.0.0.9", dropped["Ip"]);
        Assert.Equal(0, registry.Queued);
    }

    [Fact]
    public void Frames_are_exactly_id_event_data()
    {
        var bytes = SseFrames.Message("abc", "posts/*", """{"action":"create"}""");
        var record = SseFrames.Event(42, "posts/*", """{"action":"create"}"""u8);

        Assert.Equal("id:abc\nevent:posts/*\ndata:{\"action\":\"create\"}\n\n", System.Text.Encoding.UTF8.GetString(bytes));
        Assert.Equal("id:42\nevent:posts/*\ndata:{\"action\":\"create\"}\n\n", System.Text.Encoding.UTF8.GetString(record));
    }

    [Theory]
    [InlineData("X-Token", "x_token")]
    [InlineData("someHeader", "some_header")]
    [InlineData("content-type", "content_type")]
    public void Option_headers_are_snake_cased(string name, string expected) =>
        Assert.Equal(expected, RealtimeSubscription.SnakeCase(name));

    [Theory]
    [InlineData("posts/*?options=%5B1%5D")]
    [InlineData("posts/*?options=%7B%22query%22%3A5%7D")]
    [InlineData("posts/*?options=%7B%22headers%22%3A%5B%5D%7D")]
    public void Options_that_are_not_an_object_of_objects_are_refused(string raw)
    {
        Assert.Null(RealtimeSubscription.TryParse(raw, out var error));
        Assert.NotNull(error);
    }

    private static RealtimeSubscription Parse(string raw) =>
        RealtimeSubscription.TryParse(raw, out _) ?? throw new InvalidOperationException(raw);
}
