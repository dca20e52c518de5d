using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Basalt.Tests.Fixtures;

namespace Basalt.Tests.Cluster;

/// <summary>
/// Issue 16: three nodes behind nginx (<see cref="NginxClusterFixture"/>) behave as one server to a client of nginx.
/// nginx hands requests to the nodes in turn, so each step of a flow lands on another node than the step before: a
/// record created on one is read, changed and deleted on others, a password sign-in is refreshed elsewhere, an OTP
/// requested on one node signs in on another, and a file uploaded through one node is served by every node (S3).
/// </summary>
public sealed partial class ThreeNodesBehindNginxTests(NginxClusterFixture cluster) : IClassFixture<NginxClusterFixture>, IAsyncLifetime, IAsyncDisposable
{
    private const string Password = "member-password-1";
    private readonly SmtpTestServer _smtp = new();

    public async Task InitializeAsync()
    {
        var (status, body) = await cluster.Superuser.PatchJsonAsync("/api/settings", new
        {
            meta = new { appName = "Basalt Cluster", appURL = "https://app.example.com/", senderName = "Basalt", senderAddress = "noreply@example.com" },
            smtp = new { enabled = true, host = "127.0.0.1", port = _smtp.Port, tls = false },
        });
        Assert.True(status == HttpStatusCode.OK, body?.ToJsonString());
    }

    public async Task DisposeAsync() => await _smtp.DisposeAsync();

    ValueTask IAsyncDisposable.DisposeAsync() => _smtp.DisposeAsync();

    [Fact(Timeout = 120_000)]
    public async Task Nginx_hands_consecutive_requests_to_each_of_the_three_nodes()
    {
        var ids = new List<string>();
        for (var i = 0; i < NginxClusterFixture.NodeCount * 2; i++)
        {
            ids.Add(await NodeIdAsync());
        }

        Assert.Equal(NginxClusterFixture.NodeCount, ids.Distinct().Count());
        Assert.Equal(ids.Take(NginxClusterFixture.NodeCount), ids.Skip(NginxClusterFixture.NodeCount));
    }

    [Fact(Timeout = 120_000)]
    public async Task A_collection_created_on_one_node_is_used_by_the_others_on_their_next_request()
    {
        // The others hear no signal meanwhile: the collection can only reach them through their check of a miss.
        await using var deaf = await cluster.DeafenNodesAsync();
        for (var creator = 0; creator < NginxClusterFixture.NodeCount; creator++)
        {
            var name = await CreateCollectionOnAsync(creator);

            // No waiting: the very next request, on each other node directly, finds the collection.
            for (var user = 0; user < NginxClusterFixture.NodeCount; user++)
            {
                if (user == creator)
                {
                    continue;
                }

                using var guest = new HttpClient { BaseAddress = cluster.NodeAddress(user), Timeout = TimeSpan.FromSeconds(60) };
                var (status, body) = await guest.PostJsonAsync($"/api/collections/{name}/records", new { title = "at once" });
                Assert.True(status == HttpStatusCode.OK, $"node {user} after a create on node {creator}: {body?.ToJsonString()}");
            }
        }
    }

    [Fact(Timeout = 120_000)]
    public async Task A_collection_created_on_one_node_is_used_by_a_batch_on_the_others_on_their_next_request()
    {
        await EnableBatchOnEveryNodeAsync();
        await using var deaf = await cluster.DeafenNodesAsync();
        for (var creator = 0; creator < NginxClusterFixture.NodeCount; creator++)
        {
            var name = await CreateCollectionOnAsync(creator);
            for (var user = 0; user < NginxClusterFixture.NodeCount; user++)
            {
                if (user == creator)
                {
                    continue;
                }

                using var guest = new HttpClient { BaseAddress = cluster.NodeAddress(user), Timeout = TimeSpan.FromSeconds(60) };
                var create = new JsonObject { ["method"] = "POST", ["url"] = $"/api/collections/{name}/records", ["body"] = new JsonObject { ["title"] = "in a batch" } };
                var (status, body) = await guest.PostJsonAsync("/api/batch", new JsonObject { ["requests"] = new JsonArray(create, create.DeepClone()) }.ToJsonString());
                Assert.True(status == HttpStatusCode.OK, $"node {user} after a create on node {creator}: {body?.ToJsonString()}");
                Assert.All(body!.AsArray(), result => Assert.Equal(200, result!["status"]!.GetValue<int>()));
            }
        }
    }

    [Fact(Timeout = 120_000)]
    public async Task Records_crud_lands_on_another_node_at_each_step_and_sees_the_previous_one()
    {
        var name = HttpJson.UniqueName("spread");
        var (status, body) = await cluster.Superuser.PostJsonAsync("/api/collections", new JsonObject
        {
            ["name"] = name,
            ["type"] = "base",
            ["listRule"] = "",
            ["viewRule"] = "",
            ["createRule"] = "",
            ["updateRule"] = "",
            ["deleteRule"] = "",
            ["fields"] = new JsonArray(new JsonObject { ["name"] = "title", ["type"] = "text" }),
        }.ToJsonString());
        Assert.True(status == HttpStatusCode.OK, body?.ToJsonString());

        using var guest = new HttpClient { BaseAddress = cluster.Proxy, Timeout = TimeSpan.FromSeconds(60) };
        var trail = await NodeTrail.StartAsync(NodeIdAsync);
        var id = "";
        await trail.StepAsync("create", async () =>
        {
            var (s, b) = await guest.PostJsonAsync($"/api/collections/{name}/records", new { title = "first" });
            Assert.True(s == HttpStatusCode.OK, b?.ToJsonString());
            id = b!["id"]!.GetValue<string>();
        });
        await trail.StepAsync("view", async () => Assert.Equal("first", (await guest.GetJsonAsync($"/api/collections/{name}/records/{id}")).Body?["title"]?.GetValue<string>()));
        await trail.StepAsync("update", async () =>
            Assert.Equal(HttpStatusCode.OK, (await guest.PatchJsonAsync($"/api/collections/{name}/records/{id}", new { title = "second" })).Status));
        await trail.StepAsync("list", async () =>
        {
            var (s, b) = await guest.GetJsonAsync($"/api/collections/{name}/records");
            Assert.True(s == HttpStatusCode.OK, b?.ToJsonString());
            Assert.Equal("second", b!["items"]!.AsArray().Single()!["title"]!.GetValue<string>());
        });
        await trail.StepAsync("delete", async () => Assert.Equal(HttpStatusCode.NoContent, (await guest.DeleteJsonAsync($"/api/collections/{name}/records/{id}")).Status));
        await trail.StepAsync("view deleted", async () => Assert.Equal(HttpStatusCode.NotFound, (await guest.GetJsonAsync($"/api/collections/{name}/records/{id}")).Status));

        trail.AssertEachStepOnAnotherNodeThanTheLast();
    }

    [Fact(Timeout = 120_000)]
    public async Task A_password_sign_in_and_an_otp_flow_finish_on_another_node_than_they_started()
    {
        var name = await CreateAuthCollectionAsync();
        var email = "member-" + Guid.NewGuid().ToString("N")[..8] + "@example.com";
        using var guest = new HttpClient { BaseAddress = cluster.Proxy, Timeout = TimeSpan.FromSeconds(60) };
        var (status, body) = await guest.PostJsonAsync($"/api/collections/{name}/records", new { email, password = Password, passwordConfirm = Password });
        Assert.True(status == HttpStatusCode.OK, body?.ToJsonString());
        var userId = body!["id"]!.GetValue<string>();

        var trail = await NodeTrail.StartAsync(NodeIdAsync);
        var token = "";
        await trail.StepAsync("auth-with-password", async () =>
        {
            var (s, b) = await guest.PostJsonAsync($"/api/collections/{name}/auth-with-password", new { identity = email, password = Password });
            Assert.True(s == HttpStatusCode.OK, b?.ToJsonString());
            token = b!["token"]!.GetValue<string>();
        });
        await trail.StepAsync("auth-refresh", async () =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/collections/{name}/auth-refresh");
            request.Headers.TryAddWithoutValidation("Authorization", token);
            using var response = await guest.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        });
        var otpId = "";
        await trail.StepAsync("request-otp", async () =>
        {
            var (s, b) = await guest.PostJsonAsync($"/api/collections/{name}/request-otp", new { email });
            Assert.True(s == HttpStatusCode.OK, b?.ToJsonString());
            otpId = b!["otpId"]!.GetValue<string>();
        });
        var mail = await _smtp.WaitForAsync(email, TimeSpan.FromSeconds(30));
        var code = CodePattern().Match(mail.Parse().HtmlBody ?? "");
        Assert.True(code.Success, mail.Data);
        await trail.StepAsync("auth-with-otp", async () =>
        {
            var (s, b) = await guest.PostJsonAsync($"/api/collections/{name}/auth-with-otp", new { otpId, password = code.Groups[1].Value });
            Assert.True(s == HttpStatusCode.OK, b?.ToJsonString());
            Assert.Equal(userId, b!["record"]!["id"]!.GetValue<string>());
        });

        trail.AssertEachStepOnAnotherNodeThanTheLast();
        Assert.NotEqual(trail.NodeOf("request-otp"), trail.NodeOf("auth-with-otp"));
    }

    [Fact(Timeout = 120_000)]
    public async Task A_file_uploaded_through_nginx_is_served_by_every_node()
    {
        var name = HttpJson.UniqueName("shared_files");
        var (status, body) = await cluster.Superuser.PostJsonAsync("/api/collections", new JsonObject
        {
            ["name"] = name,
            ["type"] = "base",
            ["viewRule"] = "",
            ["createRule"] = "",
            ["fields"] = new JsonArray(new JsonObject { ["name"] = "doc", ["type"] = "file", ["maxSelect"] = 1, ["maxSize"] = 1_000_000 }),
        }.ToJsonString());
        Assert.True(status == HttpStatusCode.OK, body?.ToJsonString());

        var bytes = new byte[50_000];
        Random.Shared.NextBytes(bytes);
        using var guest = new HttpClient { BaseAddress = cluster.Proxy, Timeout = TimeSpan.FromSeconds(60) };
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "doc", "payload.bin");
        using var created = await guest.PostAsync($"/api/collections/{name}/records", form);
        var record = JsonNode.Parse(await created.Content.ReadAsStringAsync())!;
        Assert.True(created.IsSuccessStatusCode, record.ToJsonString());
        var url = $"/api/files/{name}/{record["id"]!.GetValue<string>()}/{record["doc"]!.GetValue<string>()}";

        for (var i = 0; i < NginxClusterFixture.NodeCount; i++)
        {
            using var node = new HttpClient { BaseAddress = cluster.NodeAddress(i), Timeout = TimeSpan.FromSeconds(60) };
            using var response = await node.GetAsync(url);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"node {i}: {(int)response.StatusCode}");
            Assert.Equal(bytes, await response.Content.ReadAsByteArrayAsync());
        }

        Assert.NotNull(cluster.S3);
        using var s3 = S3TestServer.Client(cluster.S3);
        var objects = await s3.ListObjectsV2Async(new Amazon.S3.Model.ListObjectsV2Request { BucketName = cluster.S3.Bucket });
        Assert.Contains(objects.S3Objects, o => o.Key.EndsWith("/" + record["doc"]!.GetValue<string>(), StringComparison.Ordinal));
    }

    /// <summary>The id of the node that answers a superuser's <c>GET /api/health</c> through nginx.</summary>
    private async Task<string> NodeIdAsync()
    {
        var (status, body) = await cluster.Superuser.GetJsonAsync("/api/health");
        Assert.True(status == HttpStatusCode.OK, body?.ToJsonString());
        return body!["data"]!["node"]!["id"]!.GetValue<string>();
    }

    /// <summary>Creates a base collection anyone may list and create in, on node <paramref name="index"/> directly.</summary>
    private async Task<string> CreateCollectionOnAsync(int index)
    {
        var name = HttpJson.UniqueName("fresh");
        using var node = cluster.NodeSuperuser(index);
        var (status, body) = await node.PostJsonAsync("/api/collections", new JsonObject
        {
            ["name"] = name,
            ["type"] = "base",
            ["listRule"] = "",
            ["createRule"] = "",
            ["fields"] = new JsonArray(new JsonObject { ["name"] = "title", ["type"] = "text" }),
        }.ToJsonString());
        Assert.True(status == HttpStatusCode.OK, body?.ToJsonString());
        return name;
    }

    /// <summary>Turns batches on, then waits until every node's settings cache has it (an empty batch is then 400, not 403).</summary>
    private async Task EnableBatchOnEveryNodeAsync()
    {
        var (status, body) = await cluster.Superuser.PatchJsonAsync("/api/settings", new { batch = new { enabled = true, maxRequests = 50 } });
        Assert.True(status == HttpStatusCode.OK, body?.ToJsonString());
        for (var i = 0; i < NginxClusterFixture.NodeCount; i++)
        {
            using var node = new HttpClient { BaseAddress = cluster.NodeAddress(i), Timeout = TimeSpan.FromSeconds(60) };
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while ((await node.PostJsonAsync("/api/batch", new { requests = Array.Empty<object>() })).Status == HttpStatusCode.Forbidden)
            {
                Assert.True(DateTime.UtcNow < deadline, $"node {i} did not turn batches on");
                await Task.Delay(20);
            }
        }
    }

    private async Task<string> CreateAuthCollectionAsync()
    {
        var name = HttpJson.UniqueName("members");
        var (status, body) = await cluster.Superuser.PostJsonAsync("/api/collections", new JsonObject
        {
            ["name"] = name,
            ["type"] = "auth",
            ["createRule"] = "",
            ["otp"] = new JsonObject
            {
                ["enabled"] = true,
                ["length"] = 6,
                ["emailTemplate"] = new JsonObject { ["subject"] = "Code for {APP_NAME}", ["body"] = "<p>code={OTP} id={OTP_ID}</p>" },
            },
        }.ToJsonString());
        Assert.True(status == HttpStatusCode.OK, body?.ToJsonString());
        return name;
    }

    [GeneratedRegex(@"code=(\d+) id=")]
    private static partial Regex CodePattern();
}
