using System.Net;
using System.Text.Json.Nodes;
using Basalt.Settings;
using Basalt.Tests.Storage;
using Npgsql;

namespace Basalt.Tests.Fixtures;

/// <summary>
/// Issue 16's set-up as a user builds it: three <c>basalt serve</c> processes (the real CLI, each with its own data
/// folder) on one fresh PostgreSQL database, files in a bucket of their own on <see cref="S3TestServer"/>, and Debian's
/// nginx in front with docs/nginx-basalt.conf (<see cref="NginxProxy"/>). Tests talk to <see cref="Proxy"/>, may SIGKILL
/// a node, and reach a node directly through <see cref="NodeAddress"/>. Every process is killed when the fixture is
/// disposed, and when the test host exits.
/// </summary>
public sealed class NginxClusterFixture : IAsyncLifetime
{
    public const int NodeCount = 3;

    private readonly BasaltProcess?[] _nodes = new BasaltProcess?[NodeCount];
    private readonly string[] _dataDirs = [.. Enumerable.Range(0, NodeCount).Select(_ => Path.Combine(Path.GetTempPath(), "basalt-node-" + Guid.NewGuid().ToString("N")[..10]))];
    private readonly Uri[] _addresses = new Uri[NodeCount];
    private NginxProxy? _nginx;

    /// <summary>nginx's address: where an application would point the SDK.</summary>
    public Uri Proxy => _nginx?.BaseAddress ?? throw new InvalidOperationException("not started");

    public NginxProxy Nginx => _nginx ?? throw new InvalidOperationException("not started");

    /// <summary>A client of <see cref="Proxy"/> signed in as the superuser.</summary>
    public HttpClient Superuser { get; private set; } = new();

    public S3Settings? S3 { get; private set; }

    /// <summary>The nodes' database, for a test that reads the cluster tables or holds a lock on them.</summary>
    public string ConnectionString { get; private set; } = "";

    public async Task InitializeAsync()
    {
        try
        {
            await StartAsync();
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    private async Task StartAsync()
    {
        // Three pools of 20 leave room on the shared test cluster for the other fixtures.
        var database = await PostgresCluster.CreateDatabaseAsync() + ";Maximum Pool Size=20";
        ConnectionString = database;
        foreach (var dir in _dataDirs)
        {
            Directory.CreateDirectory(dir);
        }

        var upsert = await BasaltProcess.RunAsync(
            "superuser", "upsert", BasaltServerFixture.SuperuserEmail, BasaltServerFixture.SuperuserPassword, "--dir", _dataDirs[0], "--db", database);
        if (upsert.ExitCode != 0)
        {
            throw new InvalidOperationException("superuser upsert failed: " + upsert.Output);
        }

        // The first node has made the system tables (the upsert did); the others start together, as docs/deploy.md says.
        _nodes[0] = (await BasaltProcess.StartAsync(_dataDirs[0], database)).Process;
        var others = await Task.WhenAll(Enumerable.Range(1, NodeCount - 1).Select(i => BasaltProcess.StartAsync(_dataDirs[i], database)));
        for (var i = 1; i < NodeCount; i++)
        {
            _nodes[i] = others[i - 1].Process;
        }

        for (var i = 0; i < NodeCount; i++)
        {
            _addresses[i] = _nodes[i]!.BaseAddress;
        }

        _nginx = await NginxProxy.StartAsync(_addresses);
        Superuser = await SignInSuperuserAsync(Proxy);

        // As BasaltServerFixture does: no rate limits (every test client is one IP), and files in a bucket of their own.
        S3 = await S3TestServer.CreateBucketAsync();
        var (status, body) = await Superuser.PatchJsonAsync("/api/settings", new JsonObject
        {
            ["rateLimits"] = new JsonObject { ["enabled"] = false, ["rules"] = new JsonArray() },
            ["s3"] = S3.ToJson(includeSecrets: true),
        }.ToJsonString());
        if (status != HttpStatusCode.OK)
        {
            throw new InvalidOperationException("settings: " + body?.ToJsonString());
        }
    }

    /// <summary>Node <paramref name="index"/>'s own address, bypassing nginx.</summary>
    public Uri NodeAddress(int index) => _addresses[index];

    /// <summary>Whether node <paramref name="index"/> is still running (not killed by a test).</summary>
    public bool IsRunning(int index) => _nodes[index] is not null;

    /// <summary>The index of the node listening on <paramref name="port"/>.</summary>
    public int NodeOnPort(int port) => Array.FindIndex(_addresses, a => a.Port == port) is var i and >= 0
        ? i
        : throw new InvalidOperationException($"no node on port {port}");

    /// <summary>SIGKILL of node <paramref name="index"/>: no shutdown hook runs, its connections just break.</summary>
    public async Task KillAsync(int index)
    {
        if (_nodes[index] is { } node)
        {
            _nodes[index] = null;
            await node.DisposeAsync();
        }
    }

    /// <summary>SIGSTOP of node <paramref name="index"/>: alive to PostgreSQL and to its peers (until its heartbeat is stale), doing nothing.</summary>
    public Task SuspendAsync(int index) => (_nodes[index] ?? throw new InvalidOperationException($"node {index} was killed")).SuspendAsync();

    /// <summary>SIGCONT of node <paramref name="index"/> after <see cref="SuspendAsync"/>.</summary>
    public Task ResumeAsync(int index) => (_nodes[index] ?? throw new InvalidOperationException($"node {index} was killed")).ResumeAsync();

    /// <summary>
    /// SIGSTOP of every node's listening session in PostgreSQL (the one whose last statement is the leadership check):
    /// until the result is disposed no node hears a signal, so what another node wrote reaches a node only by what it
    /// reads itself. Signalling a PostgreSQL backend needs the server on this machine, as the throwaway cluster is.
    /// </summary>
    public async Task<IAsyncDisposable> DeafenNodesAsync()
    {
        var pids = new List<int>();
        await using (var connection = new NpgsqlConnection(ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(
                """
                SELECT pid FROM pg_stat_activity
                WHERE datname = current_database() AND pid <> pg_backend_pid() AND query LIKE 'SELECT pg_try_advisory_lock(%'
                """,
                connection);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                pids.Add(reader.GetInt32(0));
            }
        }

        if (pids.Count < NodeCount)
        {
            throw new InvalidOperationException($"found {pids.Count} listening sessions for {NodeCount} nodes");
        }

        var deafened = new Deafened(pids);
        try
        {
            foreach (var pid in pids)
            {
                await PosixSignal.SendAsync(pid, "STOP");
            }
        }
        catch
        {
            await deafened.DisposeAsync();
            throw;
        }

        return deafened;
    }

    /// <summary>A client of node <paramref name="index"/> itself with the superuser's token.</summary>
    public HttpClient NodeSuperuser(int index)
    {
        var client = new HttpClient { BaseAddress = _addresses[index], Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", Superuser.DefaultRequestHeaders.GetValues("Authorization").First());
        return client;
    }

    /// <summary>The output of node <paramref name="index"/> so far, for failure messages.</summary>
    public string OutputOf(int index) => _nodes[index]?.Output ?? "(killed)";

    public async Task DisposeAsync()
    {
        Superuser.Dispose();
        if (_nginx is not null)
        {
            await _nginx.DisposeAsync();
            _nginx = null;
        }

        for (var i = 0; i < NodeCount; i++)
        {
            await KillAsync(i);
        }

        foreach (var dir in _dataDirs)
        {
            try
            {
                Directory.Delete(dir, true);
            }
            catch (IOException)
            {
                // Already gone (a start that failed before making it), or a file still held open.
            }
        }
    }

    private static async Task<HttpClient> SignInSuperuserAsync(Uri address)
    {
        using var guest = new HttpClient { BaseAddress = address };
        var (status, body) = await guest.PostJsonAsync(
            "/api/collections/_superusers/auth-with-password",
            new { identity = BasaltServerFixture.SuperuserEmail, password = BasaltServerFixture.SuperuserPassword });
        if (status != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"superuser sign-in through nginx: {status} {body?.ToJsonString()}");
        }

        var client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", body!["token"]!.GetValue<string>());
        return client;
    }

    /// <summary>Stopped PostgreSQL sessions, continued on dispose.</summary>
    private sealed class Deafened(List<int> pids) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            // Every session is continued even if one cannot be (it ended meanwhile): a stopped one would stall its node.
            InvalidOperationException? failed = null;
            foreach (var pid in pids)
            {
                try
                {
                    await PosixSignal.SendAsync(pid, "CONT");
                }
                catch (InvalidOperationException e)
                {
                    failed ??= e;
                }
            }

            if (failed is not null)
            {
                throw failed;
            }
        }
    }
}
