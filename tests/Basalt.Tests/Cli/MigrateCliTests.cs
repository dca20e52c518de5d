using System.Net;
using Basalt.Tests.Fixtures;

namespace Basalt.Tests.Cli;

/// <summary>
/// <c>basalt migrate</c> as a team uses it: <c>serve --automigrate</c> on a laptop writes a file for a collection made
/// through the API; on a fresh database <c>migrate status</c> lists it pending, <c>up</c> applies it, <c>create</c>
/// finds nothing new, <c>down</c> reverts it, and a later <c>serve</c> applies it as it starts.
/// </summary>
public abstract class MigrateCliTests : IDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private readonly string _root = Path.Combine(Path.GetTempPath(), "basalt-cli-migrate-" + Guid.NewGuid().ToString("N")[..10]);

    /// <summary>The storage arguments for a fresh, empty database (none for SQLite: a fresh --dir is enough).</summary>
    protected abstract Task<string[]> FreshDatabaseArgsAsync();

    [Fact]
    public async Task Automigrate_then_status_up_create_down_and_serve_applies_at_start()
    {
        var migrations = Path.Combine(_root, "basalt_migrations");
        string[] laptop = ["--dir", Path.Combine(_root, "laptop"), "--migrations", migrations, .. await FreshDatabaseArgsAsync()];
        var (code, output) = await CliProcess.RunAsync(["superuser", "upsert", "dev@example.com", "dev-password-1", .. laptop]);
        Assert.True(code == 0, output);

        var port = CliProcess.FreePort();
        await using (var serve = CliProcess.Start(["serve", "--http", $"127.0.0.1:{port}", "--automigrate", .. laptop]))
        {
            await serve.WaitForOutputAsync("Press Ctrl-C to stop.", StartTimeout);
            Assert.Contains("Automigrate: on", serve.Output, StringComparison.Ordinal);
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            var (_, auth) = await client.PostJsonAsync("/api/collections/_superusers/auth-with-password", new { identity = "dev@example.com", password = "dev-password-1" });
            client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", auth!["token"]!.GetValue<string>());
            var (status, body) = await client.PostJsonAsync("/api/collections", new { name = "notes", type = "base", fields = new object[] { new { name = "text", type = "text" } } });
            Assert.True(status == HttpStatusCode.OK, body?.ToJsonString());
            await serve.SignalAsync("TERM");
            Assert.Equal(0, await serve.WaitForExitAsync(StartTimeout));
        }

        var file = Path.GetFileName(Assert.Single(Directory.GetFiles(migrations)));
        Assert.EndsWith("_created_notes.json", file, StringComparison.Ordinal);

        string[] staging = ["--dir", Path.Combine(_root, "staging"), "--migrations", migrations, .. await FreshDatabaseArgsAsync()];
        await RunAsync(["migrate", "status", .. staging], $"pending  {file}", "0 applied, 1 pending.");
        await RunAsync(["migrate", "up", .. staging], $"Applied {file} (1 collection change).");
        await RunAsync(["migrate", "status", .. staging], $"applied  {file}", "1 applied, 0 pending.");
        await RunAsync(["migrate", "create", "more", .. staging], "No collection changes since the last migration");
        await RunAsync(["migrate", "down", .. staging], $"Reverted {file}.");
        await RunAsync(["migrate", "down", .. staging], "Nothing to revert");

        (code, output) = await CliProcess.RunAsync(["migrate", "create", "../outside", .. staging]);
        Assert.True(code == 2, output);
        Assert.Contains("letters, digits", output, StringComparison.Ordinal);
        Assert.Single(Directory.GetFiles(migrations));

        string[] production = ["--dir", Path.Combine(_root, "production"), "--migrations", migrations, .. await FreshDatabaseArgsAsync()];
        port = CliProcess.FreePort();
        await using (var serve = CliProcess.Start(["serve", "--http", $"127.0.0.1:{port}", .. production]))
        {
            await serve.WaitForOutputAsync("Press Ctrl-C to stop.", StartTimeout);
            Assert.Contains($"Applied the migration {file}", serve.Output, StringComparison.Ordinal);
            Assert.DoesNotContain("Automigrate: on", serve.Output, StringComparison.Ordinal);
        }

        await RunAsync(["migrate", "status", .. production], $"applied  {file}");
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, true);
        }
        catch (IOException)
        {
        }
    }

    private static async Task RunAsync(string[] args, params string[] expected)
    {
        var (code, output) = await CliProcess.RunAsync(args);
        Assert.True(code == 0, string.Join(' ', args) + "\n" + output);
        foreach (var text in expected)
        {
            Assert.Contains(text, output, StringComparison.Ordinal);
        }
    }
}

public sealed class MigrateCliSqliteTests : MigrateCliTests
{
    protected override Task<string[]> FreshDatabaseArgsAsync() => Task.FromResult<string[]>([]);
}

public sealed class MigrateCliPostgresTests : MigrateCliTests
{
    protected override async Task<string[]> FreshDatabaseArgsAsync() => ["--db", await PostgresCluster.CreateDatabaseAsync()];
}
