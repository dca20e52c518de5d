using System.Net;
using Basalt.Hosting;
using Basalt.Tests.Fixtures;

namespace Basalt.Tests.Api;

/// <summary>
/// <c>/api/batch</c> is held to <c>batch.maxBodySize</c> (128 MiB by default), not to the server's global body limit,
/// as in PocketBase. HTTP only, so SQLite is enough.
/// </summary>
public sealed class BatchBodyLimitTests(BatchBodyLimitTests.SmallBodyFixture server) : IClassFixture<BatchBodyLimitTests.SmallBodyFixture>
{
    [Fact]
    public async Task A_batch_over_the_global_body_limit_is_read_under_its_own()
    {
        var name = HttpJson.UniqueName("batchsize");
        var (created, collection) = await server.Superuser.PostJsonAsync("/api/collections", new
        {
            name,
            type = "base",
            fields = new[] { new { name = "title", type = "text" } },
            createRule = "",
        });
        Assert.True(created == HttpStatusCode.OK, collection?.ToJsonString());
        Assert.Equal(HttpStatusCode.OK, (await server.Superuser.PatchJsonAsync("/api/settings", new { batch = new { enabled = true, maxRequests = 50, timeout = 3, maxBodySize = 0 } })).Status);
        var title = new string('x', SmallBodyFixture.Limit);

        var single = await server.Superuser.PostJsonAsync($"/api/collections/{name}/records", new { title });
        var batch = await server.Superuser.PostJsonAsync("/api/batch", new
        {
            requests = new[] { new { method = "POST", url = $"/api/collections/{name}/records", body = new { title } } },
        });

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, single.Status);
        Assert.True(batch.Status == HttpStatusCode.OK, batch.Body?.ToJsonString());
    }

    /// <summary>A server with a 2 KiB global body limit.</summary>
    public sealed class SmallBodyFixture : BasaltServerFixture
    {
        public const int Limit = 2048;

        protected override StorageKind Kind => StorageKind.Sqlite;

        protected override void Configure(BasaltOptions options) => options.MaxBodySize = Limit;
    }
}
