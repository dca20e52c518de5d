using System.Net;
using Basalt.Tests.Fixtures;

namespace Basalt.Tests.Cli;

/// <summary><c>basalt backup create|list|restore</c> as a user runs them, with the server stopped.</summary>
public abstract class BackupCliTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "basalt-cli-backup-" + Guid.NewGuid().ToString("N")[..10]);

    protected abstract Task<string[]> DatabaseArgsAsync();

    [Fact]
    public async Task Create_list_and_restore_with_the_server_stopped_bring_the_data_back()
    {
        string[] storage = ["--dir", _dir, .. await DatabaseArgsAsync()];
        var (code, output) = await CliProcess.RunAsync(["superuser", "upsert", "cli@example.com", "first-password-1", .. storage]);
        Assert.True(code == 0, output);

        (code, output) = await CliProcess.RunAsync(["backup", "create", "first.zip", .. storage]);
        Assert.True(code == 0, output);
        Assert.Contains("Created the backup first.zip.", output, StringComparison.Ordinal);
        Assert.Contains("database: 100%", output, StringComparison.Ordinal);
        Assert.Contains("ETA", output, StringComparison.Ordinal);

        (code, output) = await CliProcess.RunAsync(["backup", "list", .. storage]);
        Assert.True(code == 0, output);
        Assert.Contains("first.zip", output, StringComparison.Ordinal);

        (code, output) = await CliProcess.RunAsync(["superuser", "upsert", "cli@example.com", "second-password-2", .. storage]);
        Assert.True(code == 0, output);
        (code, output) = await CliProcess.RunAsync(["backup", "restore", "first.zip", .. storage]);
        Assert.True(code == 0, output);
        Assert.Contains("Restored the backup first.zip.", output, StringComparison.Ordinal);

        (code, output) = await CliProcess.RunAsync(["backup", "restore", "missing.zip", .. storage]);
        Assert.Equal(1, code);
        Assert.Contains("Error: Missing or invalid backup file.", output, StringComparison.Ordinal);

        var port = CliProcess.FreePort();
        await using var serve = CliProcess.Start(["serve", "--http", $"127.0.0.1:{port}", .. storage]);
        await serve.WaitForOutputAsync("Press Ctrl-C to stop.", TimeSpan.FromSeconds(60));
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        var (first, _) = await client.PostJsonAsync("/api/collections/_superusers/auth-with-password", new { identity = "cli@example.com", password = "first-password-1" });
        Assert.Equal(HttpStatusCode.OK, first);
        var (second, _) = await client.PostJsonAsync("/api/collections/_superusers/auth-with-password", new { identity = "cli@example.com", password = "second-password-2" });
        Assert.Equal(HttpStatusCode.BadRequest, second);
        await serve.SignalAsync("TERM");
        await serve.WaitForExitAsync(TimeSpan.FromSeconds(60));
    }

    [Fact]
    public async Task A_wrong_backup_command_prints_the_usage()
    {
        var (code, output) = await CliProcess.RunAsync("backup", "restore");
        Assert.Equal(2, code);
        Assert.Contains("basalt backup create [NAME] | list | restore NAME", output, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }

        GC.SuppressFinalize(this);
    }
}

public sealed class BackupCliSqliteTests : BackupCliTests
{
    protected override Task<string[]> DatabaseArgsAsync() => Task.FromResult<string[]>([]);
}

public sealed class BackupCliPostgresTests : BackupCliTests
{
    protected override async Task<string[]> DatabaseArgsAsync() => ["--db", await PostgresCluster.CreateDatabaseAsync()];
}
