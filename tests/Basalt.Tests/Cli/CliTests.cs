using System.Net;
using System.Net.Sockets;
using System.Text;
using Basalt.Tests.Fixtures;

namespace Basalt.Tests.Cli;

/// <summary>
/// The CLI as a user runs it: <c>superuser upsert</c>, then <c>serve</c> on a free port; data survives a restart, a fresh
/// folder (or database) starts clean, and SIGINT stops the server only after the request in flight is answered.
/// </summary>
public abstract class CliTests : IDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private readonly List<string> _dirs = [];

    /// <summary>The storage arguments for a fresh, empty database (none for SQLite: the fresh --dir is enough).</summary>
    protected abstract Task<string[]> FreshDatabaseArgsAsync();

    [Fact]
    public async Task Upsert_then_serve_signs_in_and_a_restart_keeps_the_data()
    {
        var storage = await StorageAsync();
        var (code, output) = await CliProcess.RunAsync(["superuser", "upsert", "cli@example.com", "cli-password-1", .. storage]);
        Assert.True(code == 0, output);
        Assert.Contains("cli@example.com", output, StringComparison.Ordinal);

        for (var run = 0; run < 2; run++)
        {
            var port = CliProcess.FreePort();
            await using var serve = CliProcess.Start(["serve", "--http", $"127.0.0.1:{port}", .. storage]);
            await serve.WaitForOutputAsync("Press Ctrl-C to stop.", StartTimeout);
            Assert.Contains($"http://127.0.0.1:{port}", serve.Output, StringComparison.Ordinal);
            Assert.DoesNotContain("No superuser exists yet", serve.Output, StringComparison.Ordinal);

            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            var (status, body) = await client.PostJsonAsync("/api/collections/_superusers/auth-with-password", new { identity = "cli@example.com", password = "cli-password-1" });
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal("cli@example.com", body!["record"]!["email"]!.GetValue<string>());

            await serve.SignalAsync("TERM");
            Assert.Equal(0, await serve.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        }
    }

    [Fact]
    public async Task Fresh_storage_starts_clean_and_says_how_to_create_a_superuser()
    {
        var storage = await StorageAsync();
        var port = CliProcess.FreePort();
        await using var serve = CliProcess.Start(["serve", "--http", $"127.0.0.1:{port}", .. storage]);
        await serve.WaitForOutputAsync("Press Ctrl-C to stop.", StartTimeout);

        Assert.Contains("superuser upsert EMAIL PASSWORD", serve.Output, StringComparison.Ordinal);
        Assert.Contains(storage.Contains("--db") ? "PostgreSQL" : "SQLite", serve.Output, StringComparison.Ordinal);
        Assert.Contains("Durability:", serve.Output, StringComparison.Ordinal);
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        var (status, _) = await client.PostJsonAsync("/api/collections/_superusers/auth-with-password", new { identity = "cli@example.com", password = "cli-password-1" });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        var (health, _) = await client.GetJsonAsync("/api/health");
        Assert.Equal(HttpStatusCode.OK, health);

        // The one-time install link works once from the browser's side.
        var link = System.Text.RegularExpressions.Regex.Match(serve.Output, $@"http://127\.0\.0\.1:{port}/_/#/install\?token=([A-Za-z0-9_-]{{43}})");
        Assert.True(link.Success, serve.Output);
        var token = link.Groups[1].Value;
        var (usable, _) = await client.GetJsonAsync("/api/superusers/install?token=" + token);
        var (installed, auth) = await client.PostJsonAsync("/api/superusers/install", new { token, email = "browser@example.com", password = "browser-password-1", passwordConfirm = "browser-password-1" });
        var (used, _) = await client.GetJsonAsync("/api/superusers/install?token=" + token);
        Assert.Equal(HttpStatusCode.NoContent, usable);
        Assert.Equal(HttpStatusCode.OK, installed);
        Assert.Equal("browser@example.com", auth!["record"]!["email"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotFound, used);
    }

    [Theory]
    [InlineData("not-an-email", "long-enough-password", "email")]
    [InlineData("ok@example.com", "short", "password")]
    public async Task Invalid_upsert_exits_non_zero_and_says_why(string email, string password, string field)
    {
        var storage = await StorageAsync();

        var (code, output) = await CliProcess.RunAsync(["superuser", "upsert", email, password, .. storage]);

        Assert.NotEqual(0, code);
        Assert.Contains(field + ":", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sigint_finishes_the_request_in_flight_before_exiting()
    {
        var storage = await StorageAsync();
        Assert.Equal(0, (await CliProcess.RunAsync(["superuser", "upsert", "flight@example.com", "flight-password", .. storage])).ExitCode);
        var port = CliProcess.FreePort();
        await using var serve = CliProcess.Start(["serve", "--http", $"127.0.0.1:{port}", .. storage]);
        await serve.WaitForOutputAsync("Press Ctrl-C to stop.", StartTimeout);

        // Start a sign-in whose body is held back: once the server asks for the body (100 Continue) the request is in flight.
        var body = Encoding.UTF8.GetBytes("{\"identity\":\"flight@example.com\",\"password\":\"flight-password\"}");
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, port);
        var stream = tcp.GetStream();
        var head = $"POST /api/collections/_superusers/auth-with-password HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n" +
            $"Content-Type: application/json\r\nContent-Length: {body.Length}\r\nExpect: 100-continue\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
        Assert.StartsWith("HTTP/1.1 100", await ReadAsync(stream, "\r\n\r\n"), StringComparison.Ordinal);

        await serve.SignalAsync("INT");
        await WaitUntilRefusingConnectionsAsync(port);
        await stream.WriteAsync(body);
        var response = await ReadAsync(stream, "\"token\"");

        Assert.StartsWith("HTTP/1.1 200", response, StringComparison.Ordinal);
        Assert.Equal(0, await serve.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("Basalt stopped.", serve.Output, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        foreach (var dir in _dirs)
        {
            try
            {
                Directory.Delete(dir, true);
            }
            catch (IOException)
            {
            }
        }
    }

    private async Task<string[]> StorageAsync()
    {
        var dir = Path.Combine(Path.GetTempPath(), "basalt-cli-" + Guid.NewGuid().ToString("N")[..10]);
        _dirs.Add(dir);
        return ["--dir", dir, .. await FreshDatabaseArgsAsync()];
    }

    private static async Task WaitUntilRefusingConnectionsAsync(int port)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, port);
            }
            catch (SocketException)
            {
                return;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException("the server kept accepting connections after SIGINT");
    }

    private static async Task<string> ReadAsync(NetworkStream stream, string until)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var buffer = new byte[4096];
        var text = new StringBuilder();
        while (!text.ToString().Contains(until, StringComparison.Ordinal))
        {
            var read = await stream.ReadAsync(buffer, cts.Token);
            if (read == 0)
            {
                break;
            }

            text.Append(Encoding.UTF8.GetString(buffer, 0, read));
        }

        return text.ToString();
    }
}

public sealed class CliSqliteTests : CliTests
{
    protected override Task<string[]> FreshDatabaseArgsAsync() => Task.FromResult<string[]>([]);
}

public sealed class CliPostgresTests : CliTests
{
    protected override async Task<string[]> FreshDatabaseArgsAsync() => ["--db", await PostgresCluster.CreateDatabaseAsync()];
}

public sealed class CliUsageTests
{
    [Fact]
    public async Task Help_prints_the_commands_and_options()
    {
        var (code, output) = await CliProcess.RunAsync("--help");

        Assert.Equal(0, code);
        Assert.Contains("basalt serve", output, StringComparison.Ordinal);
        Assert.Contains("superuser upsert EMAIL PASSWORD", output, StringComparison.Ordinal);
        Assert.Contains("--durability", output, StringComparison.Ordinal);
        Assert.Contains("basalt migrate status|up|down", output, StringComparison.Ordinal);
        Assert.Contains("--automigrate", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Environment_variables_configure_serve_and_origins_restrict_cors()
    {
        var port = CliProcess.FreePort();
        var dir = Path.Combine(Path.GetTempPath(), "basalt-cli-" + Guid.NewGuid().ToString("N")[..10]);
        var environment = new Dictionary<string, string>
        {
            ["BASALT_HTTP"] = $"127.0.0.1:{port}",
            ["BASALT_DIR"] = dir,
            ["BASALT_DURABILITY"] = "fast",
            ["BASALT_ORIGINS"] = "http://allowed.example",
        };
        try
        {
            await using var serve = CliProcess.Start(environment, "serve");
            await serve.WaitForOutputAsync("Press Ctrl-C to stop.", TimeSpan.FromSeconds(60));

            Assert.Contains("Durability: fast", serve.Output, StringComparison.Ordinal);
            Assert.Contains(Path.Combine(dir, "data.db"), serve.Output, StringComparison.Ordinal);
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            Assert.Equal("http://allowed.example", await PreflightAsync(client, "http://allowed.example"));
            Assert.Null(await PreflightAsync(client, "http://other.example"));
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public async Task Metrics_http_serves_metrics_on_that_port_alone_and_the_default_log_says_where_it_listens()
    {
        var port = CliProcess.FreePort();
        var metricsPort = CliProcess.FreePort();
        var dir = Path.Combine(Path.GetTempPath(), "basalt-cli-" + Guid.NewGuid().ToString("N")[..10]);
        var startTimeout = TimeSpan.FromSeconds(60);
        try
        {
            await using var serve = CliProcess.Start(["serve", "--http", $"127.0.0.1:{port}", "--metrics-http", $"127.0.0.1:{metricsPort}", "--dir", dir]);
            await serve.WaitForOutputAsync("Press Ctrl-C to stop.", startTimeout);
            using var api = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            using var metrics = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{metricsPort}") };

            Assert.Equal(HttpStatusCode.OK, (await api.GetJsonAsync("/api/health")).Status);
            using var scrape = await metrics.GetAsync("/metrics");
            Assert.Equal(HttpStatusCode.OK, scrape.StatusCode);
            Assert.Contains("basalt_request_log_queue", await scrape.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.NotFound, (await api.GetJsonAsync("/metrics")).Status);
            await serve.WaitForOutputAsync($"Basalt is listening on http://127.0.0.1:{port}", startTimeout);
            await serve.WaitForOutputAsync($"metrics are served at http://127.0.0.1:{metricsPort}/metrics", startTimeout);
            Assert.DoesNotContain("Request starting", serve.Output, StringComparison.Ordinal);

            await serve.SignalAsync("TERM");
            Assert.Equal(0, await serve.WaitForExitAsync(TimeSpan.FromSeconds(60)));
            Assert.Contains("Basalt is stopping", serve.Output, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Theory]
    [InlineData("serve", "--log-level", "loud")]
    [InlineData("serve", "--metrics-http", "http://127.0.0.1:9090")]
    [InlineData("frobnicate")]
    [InlineData("serve", "--bogus", "1")]
    [InlineData("serve", "--http", "nonsense")]
    [InlineData("serve", "--durability", "sometimes")]
    [InlineData("superuser", "upsert", "only-email@example.com")]
    [InlineData("migrate")]
    [InlineData("migrate", "sideways")]
    [InlineData("migrate", "down", "0")]
    [InlineData("migrate", "create")]
    [InlineData("migrate", "create", "../outside")]
    [InlineData("serve", "--migrate", "maybe")]
    public async Task Bad_command_lines_exit_non_zero_with_a_message(params string[] args)
    {
        var (code, output) = await CliProcess.RunAsync(args);

        Assert.NotEqual(0, code);
        Assert.Contains("Error:", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_turns_come_from_their_flags_or_environment_variables()
    {
        var port = CliProcess.FreePort();
        var dir = Path.Combine(Path.GetTempPath(), "basalt-cli-" + Guid.NewGuid().ToString("N")[..10]);
        try
        {
            await using var serve = CliProcess.Start(
                new Dictionary<string, string> { ["BASALT_READS_PER_CLIENT"] = "3", ["BASALT_CLIENT_READS"] = "50" },
                "serve", "--http", $"127.0.0.1:{port}", "--dir", dir, "--client-reads", "7");
            await serve.WaitForOutputAsync("Press Ctrl-C to stop.", TimeSpan.FromSeconds(60));

            Assert.Contains("Read turns: 3 per client, 7 for all clients", serve.Output, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Theory]
    [InlineData("--reads-per-client", "0", false)]
    [InlineData("--reads-per-client", "two", false)]
    [InlineData("--client-reads", "-3", false)]
    [InlineData("--client-reads", "1.5", false)]
    [InlineData("--reads-per-client", "0", true)]
    [InlineData("--client-reads", "lots", true)]
    public async Task A_bad_read_turns_value_stops_serve_naming_it(string option, string value, bool asVariable)
    {
        var variable = option == "--reads-per-client" ? "BASALT_READS_PER_CLIENT" : "BASALT_CLIENT_READS";
        var http = $"127.0.0.1:{CliProcess.FreePort()}";
        await using var serve = asVariable
            ? CliProcess.Start(new Dictionary<string, string> { [variable] = value }, "serve", "--http", http)
            : CliProcess.Start("serve", "--http", http, option, value);

        Assert.NotEqual(0, await serve.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains($"Error: {option} ({variable}) takes a whole number above 0, not \"{value}\".", serve.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("1e300")]
    [InlineData("5000000")]
    [InlineData("soon")]
    public async Task A_bad_read_timeout_stops_serve_naming_it(string value)
    {
        await using var serve = CliProcess.Start("serve", "--http", $"127.0.0.1:{CliProcess.FreePort()}", "--read-timeout", value);

        Assert.NotEqual(0, await serve.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains($"--read-timeout takes a number of seconds above 0 and at most 86400 (a day), not \"{value}\".", serve.Output, StringComparison.Ordinal);
    }

    private static async Task<string?> PreflightAsync(HttpClient client, string origin)
    {
        using var request = new HttpRequestMessage(HttpMethod.Options, "/api/health");
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", "GET");
        using var response = await client.SendAsync(request);
        return response.Headers.TryGetValues("Access-Control-Allow-Origin", out var values) ? values.Single() : null;
    }
}
