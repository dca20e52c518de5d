using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Basalt.Tests.Fixtures;
using Basalt.Tests.Realtime;
using Npgsql;

namespace Basalt.Tests.Cluster;

/// <summary>
/// Issue 16, realtime without sticky routing: the stream (<c>GET /api/realtime</c>) is held by one node and its
/// subscribe (<c>POST /api/realtime</c>) reaches another, which hands it to the first through PostgreSQL. Each test
/// picks the nodes itself (their own addresses) so every step is on the node it names; the last one goes through
/// nginx, whose shipped configuration hands realtime requests round-robin like any other.
/// </summary>
public sealed class RealtimeWithoutStickyRoutingTests(NginxClusterFixture cluster) : IClassFixture<NginxClusterFixture>
{
    private const string Password = "member-password-1";
    private const int MaxTopicLength = 2500;

    [Fact(Timeout = 120_000)]
    public async Task A_stream_on_one_node_takes_a_subscribe_sent_to_another_and_gets_a_write_made_on_the_third()
    {
        var name = await CreateCollectionAsync(listRule: "");
        using var streamNode = Node(0);
        using var subscribeNode = Node(1);
        using var writeNode = Node(2);
        await using var sse = await SseConnection.OpenAsync(streamNode);

        var (status, body) = await RealtimeTests.Subscribe(subscribeNode, sse.ClientId, name + "/*");
        Assert.True(status == HttpStatusCode.NoContent, body?.ToJsonString());

        (status, body) = await writeNode.PostJsonAsync($"/api/collections/{name}/records", new { title = "across" });
        Assert.True(status == HttpStatusCode.OK, body?.ToJsonString());
        var frame = await sse.ReadAsync(TimeSpan.FromSeconds(30));
        Assert.NotNull(frame);
        Assert.Equal(name + "/*", frame.Event);
        Assert.Equal("across", JsonNode.Parse(frame.Data)!["record"]!["title"]!.GetValue<string>());
    }

    [Fact(Timeout = 120_000)]
    public async Task A_forwarded_subscribe_carries_the_verified_auth_so_a_guest_gets_no_event_the_list_rule_denies()
    {
        var members = await CreateAuthCollectionAsync();
        var user = await SignUpAsync(members, 2);
        var secret = await CreateCollectionAsync(listRule: "@request.auth.id != ''");
        var open = await CreateCollectionAsync(listRule: "");

        using var streamNode = Node(0);
        await using var guestStream = await SseConnection.OpenAsync(streamNode);
        await using var userStream = await SseConnection.OpenAsync(streamNode);
        using var subscribeNode = Node(1);
        var (status, body) = await RealtimeTests.Subscribe(subscribeNode, guestStream.ClientId, secret + "/*", open + "/*");
        Assert.True(status == HttpStatusCode.NoContent, body?.ToJsonString());
        subscribeNode.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", user.Token);
        (status, body) = await RealtimeTests.Subscribe(subscribeNode, userStream.ClientId, secret + "/*", open + "/*");
        Assert.True(status == HttpStatusCode.NoContent, body?.ToJsonString());

        using var writeNode = Node(2);
        Assert.Equal(HttpStatusCode.OK, (await writeNode.PostJsonAsync($"/api/collections/{secret}/records", new { title = "members only" })).Status);
        Assert.Equal(HttpStatusCode.OK, (await writeNode.PostJsonAsync($"/api/collections/{open}/records", new { title = "for everyone" })).Status);

        // Events come in commit order: the guest's first event is the later write, so the earlier one never came.
        var guestFrame = await guestStream.ReadAsync(TimeSpan.FromSeconds(30));
        Assert.NotNull(guestFrame);
        Assert.Equal(open + "/*", guestFrame.Event);
        var userFrame = await userStream.ReadAsync(TimeSpan.FromSeconds(30));
        Assert.NotNull(userFrame);
        Assert.Equal(secret + "/*", userFrame.Event);
        Assert.Equal("members only", JsonNode.Parse(userFrame.Data)!["record"]!["title"]!.GetValue<string>());
    }

    [Fact(Timeout = 120_000)]
    public async Task A_forwarded_subscribe_cannot_rebind_a_client_bound_to_another_user()
    {
        var members = await CreateAuthCollectionAsync();
        var owner = await SignUpAsync(members, 0);
        var intruder = await SignUpAsync(members, 0);
        var name = await CreateCollectionAsync(listRule: "");
        using var streamNode = Node(0);
        await using var sse = await SseConnection.OpenAsync(streamNode);

        using var ownerClient = Node(1);
        ownerClient.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", owner.Token);
        var (status, body) = await RealtimeTests.Subscribe(ownerClient, sse.ClientId, name + "/*");
        Assert.True(status == HttpStatusCode.NoContent, body?.ToJsonString());

        // Through another node and through the holding node itself: the same refusal, with the same envelope.
        foreach (var index in new[] { 2, 0 })
        {
            using var intruderClient = Node(index);
            intruderClient.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", intruder.Token);
            (status, body) = await RealtimeTests.Subscribe(intruderClient, sse.ClientId, name + "/*");
            Assert.Equal(HttpStatusCode.Forbidden, status);
            Assert.Equal(403, body?["status"]?.GetValue<int>());
            Assert.Equal("The current and the previous request authorization don't match.", body?["message"]?.GetValue<string>());
        }
    }

    [Fact(Timeout = 120_000)]
    public async Task A_forwarded_subscribe_from_another_ip_than_the_stream_is_refused_as_on_the_stream_node()
    {
        var name = await CreateCollectionAsync(listRule: "");
        using var streamNode = Node(0);
        await using var sse = await SseConnection.OpenAsync(streamNode);
        foreach (var index in new[] { 1, 0 })
        {
            using var elsewhere = SseConnection.FromAddress(cluster.NodeAddress(index), IPAddress.Parse("127.0.0.2"));
            var (status, body) = await RealtimeTests.Subscribe(elsewhere, sse.ClientId, name + "/*");
            Assert.Equal(HttpStatusCode.BadRequest, status);
            Assert.Equal("The current and the previous request IP don't match.", body?["message"]?.GetValue<string>());
        }
    }

    [Fact(Timeout = 120_000)]
    public async Task An_unknown_client_id_is_404_and_a_bad_subscribe_the_same_400_on_every_node()
    {
        using var streamNode = Node(0);
        await using var sse = await SseConnection.OpenAsync(streamNode);
        var unknown = new string('x', 40);
        string? badAnswer = null;
        for (var i = 0; i < NginxClusterFixture.NodeCount; i++)
        {
            using var node = Node(i);
            var (status, body) = await RealtimeTests.Subscribe(node, unknown, "anything/*");
            Assert.Equal(HttpStatusCode.NotFound, status);
            Assert.Equal("Missing or invalid client id.", body?["message"]?.GetValue<string>());

            (status, body) = await RealtimeTests.Subscribe(node, sse.ClientId, new string('t', MaxTopicLength + 1));
            Assert.Equal(HttpStatusCode.BadRequest, status);
            badAnswer ??= body?.ToJsonString();
            Assert.Equal(badAnswer, body?.ToJsonString());
        }
    }

    [Fact(Timeout = 120_000)]
    public async Task A_burst_of_forwarded_subscribes_for_one_client_through_two_nodes_is_answered_in_full()
    {
        // Any client can send this for its own client id: the holding node takes them a batch at a time.
        var name = await CreateCollectionAsync(listRule: "");
        using var streamNode = Node(0);
        await using var sse = await SseConnection.OpenAsync(streamNode);
        using var one = Node(1);
        using var two = Node(2);
        var answers = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => RealtimeTests.Subscribe(i % 2 == 0 ? one : two, sse.ClientId, name + "/*")));
        Assert.All(answers, answer => Assert.True(answer.Status == HttpStatusCode.NoContent, answer.Body?.ToJsonString()));

        Assert.Equal(HttpStatusCode.OK, (await two.PostJsonAsync($"/api/collections/{name}/records", new { title = "after the burst" })).Status);
        var frame = await sse.ReadAsync(TimeSpan.FromSeconds(30));
        Assert.NotNull(frame);
        Assert.Equal("after the burst", JsonNode.Parse(frame.Data)!["record"]!["title"]!.GetValue<string>());
    }

    [Fact(Timeout = 120_000)]
    public async Task Through_round_robin_nginx_subscribes_landing_on_every_node_reach_the_stream()
    {
        var name = await CreateCollectionAsync(listRule: "");
        using var client = new HttpClient { BaseAddress = cluster.Proxy, Timeout = TimeSpan.FromSeconds(60) };
        await using var sse = await SseConnection.OpenAsync(client);

        // nginx hands consecutive requests to the nodes in turn, so three subscribes reach the three nodes, two of them
        // nodes without the stream. The subscribes go on until the access log shows each node answered one: nginx
        // writes a request's line after the client has its answer (a busy machine read the log before the third line
        // was there), and it skips a node it saw fail for 5 s (fail_timeout).
        var before = cluster.Nginx.NodesThatAnswered("127.0.0.1", "POST /api/realtime").Count;
        var deadline = DateTime.UtcNow.AddSeconds(20);
        for (var sent = 0; ; sent++)
        {
            var ports = cluster.Nginx.NodesThatAnswered("127.0.0.1", "POST /api/realtime").Skip(before).ToList();
            if (ports.Distinct().Count() == NginxClusterFixture.NodeCount)
            {
                break;
            }

            Assert.True(DateTime.UtcNow < deadline, "nodes that answered: " + string.Join(", ", ports) + "\n" + cluster.Nginx.ErrorLog);
            if (sent >= NginxClusterFixture.NodeCount)
            {
                await Task.Delay(100);
            }

            var (status, body) = await RealtimeTests.Subscribe(client, sse.ClientId, name + "/*");
            Assert.True(status == HttpStatusCode.NoContent, body?.ToJsonString());
        }

        var (s, b) = await client.PostJsonAsync($"/api/collections/{name}/records", new { title = "through nginx" });
        Assert.True(s == HttpStatusCode.OK, b?.ToJsonString());
        var frame = await sse.ReadAsync(TimeSpan.FromSeconds(30));
        Assert.NotNull(frame);
        Assert.Equal("through nginx", JsonNode.Parse(frame.Data)!["record"]!["title"]!.GetValue<string>());
    }

    [Fact(Timeout = 120_000)]
    public async Task A_holding_node_alive_in_the_heartbeats_but_not_taking_gets_the_subscribe_withdrawn_and_a_404_after_the_wait()
    {
        var name = await CreateCollectionAsync(listRule: "");
        using var streamNode = Node(0);
        await using var sse = await SseConnection.OpenAsync(streamNode);
        using var subscribeNode = Node(1);

        // Stopped, node 0 still counts as a peer (its last heartbeat is fresh) but takes nothing.
        await cluster.SuspendAsync(0);
        try
        {
            var watch = Stopwatch.StartNew();
            var (status, body) = await RealtimeTests.Subscribe(subscribeNode, sse.ClientId, name + "/*");
            watch.Stop();
            Assert.Equal(HttpStatusCode.NotFound, status);
            Assert.Equal("Missing or invalid client id.", body?["message"]?.GetValue<string>());
            Assert.InRange(watch.Elapsed, TimeSpan.FromSeconds(4.9), TimeSpan.FromSeconds(8));
            Assert.Equal(0, await WaitingSubscribesAsync(sse.ClientId));
        }
        finally
        {
            await cluster.ResumeAsync(0);
        }

        // Once it runs again the client is as it was: a forwarded subscribe reaches it.
        var (s, b) = await RealtimeTests.Subscribe(subscribeNode, sse.ClientId, name + "/*");
        Assert.True(s == HttpStatusCode.NoContent, b?.ToJsonString());
    }

    [Fact(Timeout = 120_000)]
    public async Task A_forward_whose_insert_postgres_cuts_off_is_withdrawn_and_answered_404_never_500()
    {
        var name = await CreateCollectionAsync(listRule: "");
        using var streamNode = Node(0);
        await using var sse = await SseConnection.OpenAsync(streamNode);
        using var subscribeNode = Node(1);

        HttpStatusCode status;
        JsonNode? body;
        await using (var locker = await HoldSubscribesTableAsync())
        {
            var subscribe = RealtimeTests.Subscribe(subscribeNode, sse.ClientId, name + "/*");
            await TerminateWaitingAsync("""INSERT INTO "_realtimeSubscribes" """);
            await locker.Transaction.RollbackAsync();
            (status, body) = await subscribe;
        }

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal("Missing or invalid client id.", body?["message"]?.GetValue<string>());
        Assert.Equal(0, await WaitingSubscribesAsync(sse.ClientId));
    }

    [Fact(Timeout = 120_000)]
    public async Task A_forward_that_postgres_cuts_off_before_it_can_be_withdrawn_is_answered_503_never_500()
    {
        var name = await CreateCollectionAsync(listRule: "");
        using var streamNode = Node(0);
        await using var sse = await SseConnection.OpenAsync(streamNode);
        using var subscribeNode = Node(1);

        HttpStatusCode status;
        await using (var locker = await HoldSubscribesTableAsync())
        {
            var subscribe = RealtimeTests.Subscribe(subscribeNode, sse.ClientId, name + "/*");
            await TerminateWaitingAsync("""INSERT INTO "_realtimeSubscribes" """);
            await TerminateWaitingAsync("""DELETE FROM "_realtimeSubscribes" WHERE "id" """);
            await locker.Transaction.RollbackAsync();
            (status, _) = await subscribe;
        }

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal(0, await WaitingSubscribesAsync(sse.ClientId));
    }

    private HttpClient Node(int index) => new() { BaseAddress = cluster.NodeAddress(index), Timeout = TimeSpan.FromSeconds(60) };

    /// <summary>
    /// An open transaction holding <c>_realtimeSubscribes</c> exclusively: every statement on it waits, so a test can
    /// cut off exactly the one it names (<see cref="TerminateWaitingAsync"/>).
    /// </summary>
    private async Task<TableLock> HoldSubscribesTableAsync()
    {
        var connection = new NpgsqlConnection(cluster.ConnectionString);
        await connection.OpenAsync();
        var transaction = await connection.BeginTransactionAsync();
        await using (var command = new NpgsqlCommand("""LOCK TABLE "_realtimeSubscribes" IN ACCESS EXCLUSIVE MODE""", connection, transaction))
        {
            await command.ExecuteNonQueryAsync();
        }

        return new TableLock(connection, transaction);
    }

    /// <summary>Waits for a node's statement starting with <paramref name="prefix"/> to wait on a lock, and ends its session as a crash of PostgreSQL's backend would.</summary>
    private async Task TerminateWaitingAsync(string prefix)
    {
        await using var connection = new NpgsqlConnection(cluster.ConnectionString);
        await connection.OpenAsync();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            await using var command = new NpgsqlCommand(
                """
                SELECT pg_terminate_backend(pid) FROM pg_stat_activity
                WHERE datname = current_database() AND wait_event_type = 'Lock' AND starts_with(ltrim(query), @prefix)
                """,
                connection);
            command.Parameters.AddWithValue("prefix", prefix);
            if (await command.ExecuteScalarAsync() is true)
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, "no statement starting with " + prefix + " waited on the lock");
            await Task.Delay(20);
        }
    }

    /// <summary>The forwarded subscribes for <paramref name="clientId"/> still in <c>_realtimeSubscribes</c>.</summary>
    private async Task<long> WaitingSubscribesAsync(string clientId)
    {
        await using var connection = new NpgsqlConnection(cluster.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""SELECT COUNT(*) FROM "_realtimeSubscribes" WHERE "client" = @client""", connection);
        command.Parameters.AddWithValue("client", clientId);
        return (long)(await command.ExecuteScalarAsync() ?? 0L);
    }

    /// <summary>Creates a collection on node 0; the others use it at once, on their next request.</summary>
    private async Task<string> CreateCollectionAsync(string listRule)
    {
        var name = HttpJson.UniqueName("rr");
        using var node = cluster.NodeSuperuser(0);
        var (status, body) = await node.PostJsonAsync("/api/collections", new JsonObject
        {
            ["name"] = name,
            ["type"] = "base",
            ["listRule"] = listRule,
            ["viewRule"] = listRule,
            ["createRule"] = "",
            ["fields"] = new JsonArray(new JsonObject { ["name"] = "title", ["type"] = "text" }),
        }.ToJsonString());
        Assert.True(status == HttpStatusCode.OK, body?.ToJsonString());
        return name;
    }

    private async Task<string> CreateAuthCollectionAsync()
    {
        var name = HttpJson.UniqueName("rrmembers");
        using var node = cluster.NodeSuperuser(0);
        var (status, body) = await node.PostJsonAsync("/api/collections", new JsonObject { ["name"] = name, ["type"] = "auth", ["createRule"] = "" }.ToJsonString());
        Assert.True(status == HttpStatusCode.OK, body?.ToJsonString());
        return name;
    }

    private async Task<SignedUpUser> SignUpAsync(string collection, int nodeIndex)
    {
        using var node = Node(nodeIndex);
        var email = "member-" + Guid.NewGuid().ToString("N")[..8] + "@example.com";
        var (status, body) = await node.PostJsonAsync($"/api/collections/{collection}/records", new { email, password = Password, passwordConfirm = Password });
        Assert.True(status == HttpStatusCode.OK, body?.ToJsonString());
        var id = body!["id"]!.GetValue<string>();
        (status, body) = await node.PostJsonAsync($"/api/collections/{collection}/auth-with-password", new { identity = email, password = Password });
        Assert.True(status == HttpStatusCode.OK, body?.ToJsonString());
        return new SignedUpUser(collection, id, email, body!["token"]!.GetValue<string>());
    }

    /// <summary>A connection and its open transaction; disposing both releases the lock.</summary>
    private sealed record TableLock(NpgsqlConnection Connection, NpgsqlTransaction Transaction) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Transaction.DisposeAsync();
            await Connection.DisposeAsync();
        }
    }
}
