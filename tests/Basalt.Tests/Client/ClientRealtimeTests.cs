using System.Text.Json.Nodes;
using System.Threading.Channels;
using Basalt.Client.Realtime;
using Basalt.Client.Records;
using Basalt.Hosting;
using Basalt.Tests.Fixtures;

namespace Basalt.Tests.Client;

/// <summary>Realtime through the .NET client: record events, per-record topics, options, unsubscribe, reconnects and resumption.</summary>
public abstract class ClientRealtimeTests(BasaltServerFixture server)
{
    [Fact]
    public async Task A_collection_subscription_receives_create_update_and_delete()
    {
        await using var admin = await ClientKit.SuperuserAsync(server);
        var name = await ClientKit.CreatePostsAsync(admin);
        await using var listener = ClientKit.Guest(server);
        var events = Channel.CreateUnbounded<RecordEvent>();

        await using var subscription = await listener.Collection(name).SubscribeAsync("*", e => events.Writer.TryWrite(e));
        var created = await admin.Collection(name).CreateAsync(new JsonObject { ["title"] = "live" });
        await admin.Collection(name).UpdateAsync(ClientKit.Id(created), new JsonObject { ["title"] = "changed" });
        await admin.Collection(name).DeleteAsync(ClientKit.Id(created));

        var received = new[] { await NextAsync(events), await NextAsync(events), await NextAsync(events) };
        Assert.Equal(["create", "update", "delete"], received.Select(e => e.Action));
        Assert.All(received, e => Assert.Equal(ClientKit.Id(created), ClientKit.Id(e.Record)));
        Assert.Equal("changed", received[1].Record["title"]!.GetValue<string>());
        Assert.Equal(name + "/*", subscription.Topic);
        Assert.True(listener.Realtime.IsConnected);
    }

    [Fact]
    public async Task Record_topics_options_and_unsubscribe()
    {
        await using var admin = await ClientKit.SuperuserAsync(server);
        var name = await ClientKit.CreatePostsAsync(admin);
        var posts = admin.Collection(name);
        var watched = await posts.CreateAsync(new JsonObject { ["title"] = "watched" });
        await using var listener = ClientKit.Guest(server);
        var one = Channel.CreateUnbounded<RecordEvent>();
        var filtered = Channel.CreateUnbounded<RecordEvent>();

        var byId = await listener.Collection(name).SubscribeAsync(ClientKit.Id(watched), e => one.Writer.TryWrite(e));
        await using var onlyHot = await listener.Collection(name).SubscribeAsync(
            "*", e => filtered.Writer.TryWrite(e), new SubscribeOptions { Filter = "views > 10", Fields = "id,views" });
        await posts.CreateAsync(new JsonObject { ["title"] = "cold", ["views"] = 1 });
        var hot = await posts.CreateAsync(new JsonObject { ["title"] = "hot", ["views"] = 11 });
        await posts.UpdateAsync(ClientKit.Id(watched), new JsonObject { ["views"] = 12 });
        var hotEvent = await NextAsync(filtered);
        var watchedUpdate = await NextAsync(one);
        var watchedHot = await NextAsync(filtered);
        await byId.UnsubscribeAsync();
        await posts.UpdateAsync(ClientKit.Id(watched), new JsonObject { ["views"] = 13 });
        var afterUnsubscribe = await NextAsync(filtered);

        Assert.Equal(ClientKit.Id(hot), ClientKit.Id(hotEvent.Record));
        Assert.Null(hotEvent.Record["title"]);
        Assert.Equal(12, watchedUpdate.Record["views"]!.GetValue<double>());
        Assert.Equal(ClientKit.Id(watched), ClientKit.Id(watchedHot.Record));
        Assert.Equal(13, afterUnsubscribe.Record["views"]!.GetValue<double>());
        Assert.False(one.Reader.TryRead(out _));
    }

    [Fact]
    public async Task The_last_unsubscribe_closes_the_connection_and_a_new_subscribe_opens_one()
    {
        await using var admin = await ClientKit.SuperuserAsync(server);
        var name = await ClientKit.CreatePostsAsync(admin);
        await using var listener = ClientKit.Guest(server);
        var events = Channel.CreateUnbounded<RecordEvent>();

        await listener.Collection(name).SubscribeAsync("*", _ => { });
        var firstClient = listener.Realtime.ClientId;
        await listener.Collection(name).UnsubscribeAsync();
        var closed = !listener.Realtime.IsConnected;
        await listener.Collection(name).SubscribeAsync("*", e => events.Writer.TryWrite(e));
        await admin.Collection(name).CreateAsync(new JsonObject { ["title"] = "again" });

        Assert.True(closed);
        Assert.NotEqual(firstClient, listener.Realtime.ClientId);
        Assert.Equal("create", (await NextAsync(events)).Action);
    }

    [Fact]
    public async Task A_cancelled_subscribe_throws_and_leaves_no_topic()
    {
        await using var listener = ClientKit.Guest(server);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => listener.Realtime.SubscribeAsync("anything", _ => { }, cancellationToken: cancelled.Token));

        Assert.False(listener.Realtime.IsConnected);
    }

    [Fact]
    public async Task A_client_given_the_last_event_id_receives_the_events_it_missed()
    {
        await using var admin = await ClientKit.SuperuserAsync(server);
        var name = await ClientKit.CreatePostsAsync(admin);
        var posts = admin.Collection(name);
        var first = Channel.CreateUnbounded<RecordEvent>();
        string? lastEventId;
        await using (var before = ClientKit.Guest(server))
        {
            await before.Collection(name).SubscribeAsync("*", e => first.Writer.TryWrite(e));
            await posts.CreateAsync(new JsonObject { ["title"] = "seen" });
            await NextAsync(first);
            lastEventId = before.Realtime.LastEventId;
        }

        await posts.CreateAsync(new JsonObject { ["title"] = "missed 1" });
        await posts.CreateAsync(new JsonObject { ["title"] = "missed 2" });
        await using var after = ClientKit.Guest(server);
        after.Realtime.LastEventId = lastEventId;
        var replayed = Channel.CreateUnbounded<RecordEvent>();
        await after.Collection(name).SubscribeAsync("*", e => replayed.Writer.TryWrite(e));

        Assert.NotNull(lastEventId);
        Assert.Equal("missed 1", (await NextAsync(replayed)).Record["title"]!.GetValue<string>());
        Assert.Equal("missed 2", (await NextAsync(replayed)).Record["title"]!.GetValue<string>());
    }

    internal static async Task<T> NextAsync<T>(Channel<T> channel)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        return await channel.Reader.ReadAsync(deadline.Token);
    }
}

/// <summary>Reconnects: the server ends every stream after three seconds, and the client reconnects and resubmits its topics by itself.</summary>
public abstract class ClientRealtimeReconnectTests(BasaltServerFixture server)
{
    [Fact]
    public async Task After_the_server_ends_the_stream_the_client_reconnects_and_still_receives()
    {
        await using var admin = await ClientKit.SuperuserAsync(server);
        var name = await ClientKit.CreatePostsAsync(admin);
        await using var listener = ClientKit.Guest(server);
        var reconnected = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var disconnects = 0;
        listener.Realtime.Disconnected += (_, _) => Interlocked.Increment(ref disconnects);
        listener.Realtime.Connected += (_, e) =>
        {
            if (e.IsReconnect)
            {
                reconnected.TrySetResult(e.ClientId);
            }
        };
        var events = Channel.CreateUnbounded<RecordEvent>();

        await listener.Collection(name).SubscribeAsync("*", e => events.Writer.TryWrite(e));
        var firstClient = listener.Realtime.ClientId;
        var secondClient = await reconnected.Task.WaitAsync(TimeSpan.FromSeconds(15));
        await admin.Collection(name).CreateAsync(new JsonObject { ["title"] = "after reconnect" });

        Assert.NotEqual(firstClient, secondClient);
        Assert.True(disconnects >= 1);
        Assert.Equal("after reconnect", (await ClientRealtimeTests.NextAsync(events)).Record["title"]!.GetValue<string>());
    }
}

/// <summary>SQLite with realtime streams that last three seconds.</summary>
public sealed class ShortStreamSqliteFixture : BasaltServerFixture
{
    protected override StorageKind Kind => StorageKind.Sqlite;

    protected override void Configure(BasaltOptions options) => options.RealtimeMaxLifetime = TimeSpan.FromSeconds(3);
}

/// <summary>PostgreSQL with realtime streams that last three seconds.</summary>
public sealed class ShortStreamPostgresFixture : BasaltServerFixture
{
    protected override StorageKind Kind => StorageKind.Postgres;

    protected override void Configure(BasaltOptions options) => options.RealtimeMaxLifetime = TimeSpan.FromSeconds(3);
}

public sealed class ClientRealtimeSqliteTests(SqliteServerFixture f) : ClientRealtimeTests(f), IClassFixture<SqliteServerFixture>;

public sealed class ClientRealtimePostgresTests(PostgresServerFixture f) : ClientRealtimeTests(f), IClassFixture<PostgresServerFixture>;

public sealed class ClientRealtimeReconnectSqliteTests(ShortStreamSqliteFixture f) : ClientRealtimeReconnectTests(f), IClassFixture<ShortStreamSqliteFixture>;

public sealed class ClientRealtimeReconnectPostgresTests(ShortStreamPostgresFixture f) : ClientRealtimeReconnectTests(f), IClassFixture<ShortStreamPostgresFixture>;
