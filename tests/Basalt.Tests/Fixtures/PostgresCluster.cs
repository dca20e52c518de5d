using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Basalt.Tests.Fixtures;

/// <summary>
/// The PostgreSQL server the tests use: <c>BASALT_TEST_PG</c> when set, otherwise a throwaway cluster
/// (initdb + pg_ctl in a temp folder, on a free loopback port) shared by the whole test run and stopped at exit.
/// Each fixture gets a database of its own from <see cref="CreateDatabaseAsync"/>.
/// </summary>
public static class PostgresCluster
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static string? _adminConnectionString;
    private static string? _dataDir;

    public static async Task<string> CreateDatabaseAsync()
    {
        var admin = await AdminConnectionStringAsync();
        var name = "basalt_" + Guid.NewGuid().ToString("N")[..12];
        await using (var conn = new NpgsqlConnection(admin))
        {
            await conn.OpenAsync();
            await using var cmd = conn.CreateCommand();
            cmd.CommandText = $"CREATE DATABASE \"{name}\"";
            await cmd.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(admin) { Database = name }.ConnectionString;
    }

    private static async Task<string> AdminConnectionStringAsync()
    {
        await Gate.WaitAsync();
        try
        {
            _adminConnectionString ??= Environment.GetEnvironmentVariable("BASALT_TEST_PG") is { Length: > 0 } fromEnv
                ? ToConnectionString(fromEnv)
                : await StartThrowawayClusterAsync();
            return _adminConnectionString;
        }
        finally
        {
            Gate.Release();
        }
    }

    private static string ToConnectionString(string value) =>
        value.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) || value.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase)
            ? Basalt.Storage.Postgres.PostgresConnectionString.FromUrl(value)
            : value;

    private static async Task<string> StartThrowawayClusterAsync()
    {
        SweepAbandonedClusters();
        var dir = Path.Combine(Path.GetTempPath(), "basalt-pg-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        var asRoot = Environment.UserName == "root";
        if (asRoot)
        {
            await RunAsync("chown", ["postgres:postgres", dir], false);
        }

        var data = Path.Combine(dir, "data");
        await RunAsync("initdb", ["-D", data, "-U", "postgres", "-A", "trust", "--no-sync", "-E", "UTF8", "--locale=C"], asRoot);
        var port = FreePort();
        var opts = $"-c listen_addresses=127.0.0.1 -c port={port} -c unix_socket_directories={dir} -c fsync=off -c max_connections=300 -c shared_buffers=64MB";
        await RunAsync("pg_ctl", ["-D", data, "-o", opts, "-l", Path.Combine(dir, "pg.log"), "-w", "start"], asRoot);
        _dataDir = data;
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Stop(asRoot);
        return $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres;Pooling=true";
    }

    private static void Stop(bool asRoot)
    {
        if (_dataDir is null)
        {
            return;
        }

        var (file, args) = Command("pg_ctl", ["-D", _dataDir, "-m", "immediate", "stop"], asRoot);
        using var p = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true });
        p?.WaitForExit(10_000);
        try
        {
            Directory.Delete(Path.GetDirectoryName(_dataDir)!, true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>
    /// Removes the clusters of earlier runs that never reached <see cref="Stop"/> (a test host killed by a timeout or by
    /// hand): each holds a gigabyte or two, and a few days of them filled the disk in the middle of a run. A folder is
    /// left alone while its postmaster lives, and for two hours after it was made, so a run in another checkout that is
    /// still starting its cluster keeps it.
    /// </summary>
    private static void SweepAbandonedClusters()
    {
        foreach (var dir in Directory.EnumerateDirectories(Path.GetTempPath(), "basalt-pg-*"))
        {
            try
            {
                var pidFile = Path.Combine(dir, "data", "postmaster.pid");
                if (File.Exists(pidFile) && int.TryParse(File.ReadLines(pidFile).FirstOrDefault(), out var pid) && IsRunning(pid))
                {
                    continue;
                }

                if (Directory.GetCreationTimeUtc(dir) < DateTime.UtcNow.AddHours(-2))
                {
                    Directory.Delete(dir, true);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
            }
        }
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static (string File, string[] Args) Command(string tool, string[] args, bool asRoot) =>
        asRoot ? ("runuser", ["-u", "postgres", "--", tool, .. args]) : (tool, args);

    private static async Task RunAsync(string tool, string[] args, bool asRoot)
    {
        var (file, argv) = tool == "chown" ? (tool, args) : Command(tool, args, asRoot);
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetTempPath() };
        foreach (var a in argv)
        {
            psi.ArgumentList.Add(a);
        }

        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {file}");
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"{tool} failed ({p.ExitCode}): {await stdout}{await stderr}");
        }
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }
}
