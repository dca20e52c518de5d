using System.Net;
using System.Text.Json.Nodes;
using Basalt.Tests.Fixtures;

namespace Basalt.Tests.Realtime;

/// <summary>
/// Issue 13: subscribers are grouped and answered once per group, yet no subscriber gets an event (or a field, or an
/// expanded record) that its own rules hide: guests, users and a superuser, with filters, expand and fields, over a
/// rule answered in memory and one answered by SQL, in one run. The list API with the same auth and filter is the
/// yardstick: realtime shows exactly what a list would.
/// </summary>
public abstract class RealtimeGroupingTests(BasaltServerFixture server)
{
    private const string Password = "member-password-1";

    [Fact(Timeout = 300_000)]
    public async Task No_subscriber_gets_what_its_rules_hide_across_grouped_evaluation()
    {
        var members = await AuthCollections.CreateAsync(server, new JsonObject
        {
            ["listRule"] = "id = @request.auth.id",
            ["viewRule"] = "id = @request.auth.id",
            ["createRule"] = "",
        });
        var alice = await AuthCollections.SignUpAsync(server, members, HttpJson.UniqueName("alice") + "@example.com", Password);
        var bob = await AuthCollections.SignUpAsync(server, members, HttpJson.UniqueName("bob") + "@example.com", Password);
        var membersId = (await server.Superuser.GetJsonAsync($"/api/collections/{members}")).Body!["id"]!.GetValue<string>();
        var inMemory = await CollectionAsync(membersId, "owner = @request.auth.id || title = 'public'");
        var bySql = await CollectionAsync(membersId, "owner.id = @request.auth.id || title = 'public'");
        var marker = await CollectionAsync(membersId, "");

        var readers = new (string Name, HttpClient Client)[]
        {
            ("guest 1", server.NewClient()),
            ("guest 2", server.NewClient()),
            ("alice 1", server.NewClient(alice.Token)),
            ("alice 2", server.NewClient(alice.Token)),
            ("bob", server.NewClient(bob.Token)),
            ("superuser", server.Superuser),
        };
        var options = new[]
        {
            null,
            new JsonObject { ["filter"] = "title != 'skip'" },
            new JsonObject { ["expand"] = "owner" },
            new JsonObject { ["fields"] = "id,title" },
            new JsonObject { ["filter"] = "@request.auth.id != '' && title != 'skip'" },
        };
        var topics = new[] { inMemory, bySql }
            .SelectMany(c => options.Select(o => (Collection: c, Options: o, Topic: Topic(c, o))))
            .ToList();
        var streams = new List<SseConnection>();
        try
        {
            foreach (var (_, client) in readers)
            {
                var sse = await SseConnection.OpenAsync(client);
                streams.Add(sse);
                var (status, body) = await RealtimeTests.Subscribe(client, sse.ClientId, [.. topics.Select(t => t.Topic), marker + "/*"]);
                Assert.True(status == HttpStatusCode.NoContent, body?.ToJsonString());
            }

            var writes = new List<(string Collection, string Action, string Id)>();
            var created = new Dictionary<string, List<string>>();
            foreach (var collection in new[] { inMemory, bySql })
            {
                created[collection] = [];
                foreach (var (owner, title) in new[] { (alice.Id, "a"), (bob.Id, "b"), ("", "public"), (alice.Id, "skip"), (bob.Id, "public") })
                {
                    var id = await CreateAsync(collection, new { owner, title, secret = "s3cret" });
                    created[collection].Add(id);
                    writes.Add((collection, "create", id));
                }
            }

            // What each reader may see of the records as created, then of the last one once it stops being public.
            var visibleAtCreate = await VisibleAsync(readers, topics);
            foreach (var collection in new[] { inMemory, bySql })
            {
                var last = created[collection][^1];
                Assert.Equal(HttpStatusCode.OK, (await server.Superuser.PatchJsonAsync($"/api/collections/{collection}/records/{last}", new { title = "x" })).Status);
                writes.Add((collection, "update", last));
            }

            var visibleAtUpdate = await VisibleAsync(readers, topics);
            await CreateAsync(marker, new { title = "marker" });

            for (var r = 0; r < readers.Length; r++)
            {
                var (name, _) = readers[r];
                var received = await ReadUntilAsync(streams[r], marker + "/*");
                foreach (var (collection, option, topic) in topics)
                {
                    var expected = writes
                        .Where(w => w.Collection == collection)
                        .Where(w => (w.Action == "create" ? visibleAtCreate : visibleAtUpdate)[(name, topic)].Contains(w.Id))
                        .Select(w => (w.Action, w.Id))
                        .ToList();
                    var got = received.Where(f => f.Event == topic).Select(f => JsonNode.Parse(f.Data)!).ToList();
                    Assert.True(
                        expected.SequenceEqual(got.Select(d => (d["action"]!.GetValue<string>(), d["record"]!["id"]!.GetValue<string>()))),
                        $"{name} on {topic}: expected [{string.Join(", ", expected)}], got [{string.Join(", ", got.Select(d => d.ToJsonString()))}]");
                    foreach (var data in got)
                    {
                        AssertPayload(name, option, data["record"]!.AsObject(), name.StartsWith("alice", StringComparison.Ordinal) ? alice : name == "bob" ? bob : null);
                    }
                }
            }
        }
        finally
        {
            foreach (var sse in streams)
            {
                await sse.DisposeAsync();
            }

            foreach (var (name, client) in readers)
            {
                if (name != "superuser")
                {
                    client.Dispose();
                }
            }
        }
    }

    /// <summary>Fields a reader may not see never leave; expand only what the reader may view; fields picks exactly.</summary>
    private static void AssertPayload(string reader, JsonObject? option, JsonObject record, SignedUpUser? self)
    {
        var superuser = reader == "superuser";
        if (option?["fields"] is not null)
        {
            Assert.Equal(["id", "title"], record.Select(p => p.Key).Order());
            return;
        }

        Assert.Equal(superuser, record.ContainsKey("secret"));
        var owner = record["owner"]!.GetValue<string>();
        var expanded = record["expand"]?["owner"];
        if (option?["expand"] is null || owner.Length == 0)
        {
            Assert.Null(expanded);
        }
        else if (superuser || owner == self?.Id)
        {
            Assert.Equal(owner, expanded!["id"]!.GetValue<string>());
            Assert.Equal(superuser || owner == self?.Id, expanded["email"] is not null);
        }
        else
        {
            Assert.Null(expanded);
        }
    }

    /// <summary>For each reader and subscription, the ids the list API shows it with the same auth and filter.</summary>
    private static async Task<Dictionary<(string, string), HashSet<string>>> VisibleAsync(
        (string Name, HttpClient Client)[] readers, List<(string Collection, JsonObject? Options, string Topic)> topics)
    {
        var visible = new Dictionary<(string, string), HashSet<string>>();
        foreach (var (name, client) in readers)
        {
            foreach (var (collection, options, topic) in topics)
            {
                var filter = options?["filter"]?.GetValue<string>();
                var url = $"/api/collections/{collection}/records?perPage=500" + (filter is null ? "" : "&filter=" + Uri.EscapeDataString(filter));
                var (status, body) = await client.GetJsonAsync(url);
                visible[(name, topic)] = status == HttpStatusCode.OK
                    ? body!["items"]!.AsArray().Select(i => i!["id"]!.GetValue<string>()).ToHashSet()
                    : [];
            }
        }

        return visible;
    }

    private static async Task<List<SseFrame>> ReadUntilAsync(SseConnection sse, string last)
    {
        var frames = new List<SseFrame>();
        while (true)
        {
            var frame = await sse.ReadAsync(TimeSpan.FromSeconds(60)) ?? throw new InvalidOperationException("the stream ended");
            if (frame.Event == last)
            {
                return frames;
            }

            frames.Add(frame);
        }
    }

    private static string Topic(string collection, JsonObject? query) =>
        query is null ? collection + "/*" : collection + "/*?options=" + Uri.EscapeDataString(new JsonObject { ["query"] = query.DeepClone() }.ToJsonString());

    private async Task<string> CollectionAsync(string membersId, string rule)
    {
        var name = HttpJson.UniqueName("grouped");
        var (status, body) = await server.Superuser.PostJsonAsync("/api/collections", new JsonObject
        {
            ["name"] = name,
            ["type"] = "base",
            ["fields"] = new JsonArray(
                new JsonObject { ["name"] = "owner", ["type"] = "relation", ["collectionId"] = membersId, ["maxSelect"] = 1 },
                new JsonObject { ["name"] = "title", ["type"] = "text" },
                new JsonObject { ["name"] = "secret", ["type"] = "text", ["hidden"] = true }),
            ["listRule"] = rule,
            ["viewRule"] = rule,
        }.ToJsonString());
        Assert.True(status == HttpStatusCode.OK, body?.ToJsonString());
        return name;
    }

    private async Task<string> CreateAsync(string collection, object body)
    {
        var (status, created) = await server.Superuser.PostJsonAsync($"/api/collections/{collection}/records", body);
        Assert.True(status == HttpStatusCode.OK, created?.ToJsonString());
        return created!["id"]!.GetValue<string>();
    }
}

public sealed class RealtimeGroupingSqliteTests(SqliteServerFixture f) : RealtimeGroupingTests(f), IClassFixture<SqliteServerFixture>;

public sealed class RealtimeGroupingPostgresTests(PostgresServerFixture f) : RealtimeGroupingTests(f), IClassFixture<PostgresServerFixture>;
