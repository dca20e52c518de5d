using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Basalt.Tests.Fixtures;

/// <summary>
/// A throwaway PostgreSQL cluster of one test's own (initdb + pg_ctl in a temp folder, on a free loopback port), which
/// the test may stop and start again on the same port: what a database outage looks like to a running node. Needs
/// initdb and pg_ctl on the PATH (as <see cref="PostgresCluster"/>'s throwaway cluster does).
/// </summary>
public sealed class PrivatePostgres : IAsyncDisposable
{
    private readonly string _dir;
    private readonly string _data;
    private readonly int _port;
    private readonly bool _asRoot = Environment.UserName == "root";

    private PrivatePostgres(string dir, int port)
    {
        _dir = dir;
        _data = Path.Combine(dir, "data");
        _port = port;
    }

    public string ConnectionString => $"Host=127.0.0.1;Port={_port};Username=postgres;Database=postgres;Pooling=true";

    public static async Task<PrivatePostgres> StartAsync()
    {
        var dir = Path.Combine(Path.GetTempPath(), "basalt-pg-own-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var cluster = new PrivatePostgres(dir, port);
        if (cluster._asRoot)
        {
            await RunAsync("chown", ["postgres:postgres", dir]);
        }

        await cluster.RunPgAsync("initdb", ["-D", cluster._data, "-U", "postgres", "-A", "trust", "--no-sync", "-E", "UTF8", "--locale=C"]);
        await cluster.StartAgainAsync();
        return cluster;
    }

    /// <summary>Stops the server at once (as a crash or a failover would), dropping every connection.</summary>
    public Task StopAsync() => RunPgAsync("pg_ctl", ["-D", _data, "-m", "immediate", "-w", "stop"]);

    public Task StartAgainAsync() => RunPgAsync("pg_ctl", [
        "-D", _data, "-w", "-l", Path.Combine(_dir, "pg.log"),
        "-o", $"-c listen_addresses=127.0.0.1 -c port={_port} -c unix_socket_directories={_dir} -c fsync=off", "start"]);

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync();
        }
        catch (InvalidOperationException)
        {
            // already stopped
        }

        try
        {
            Directory.Delete(_dir, true);
        }
        catch (IOException)
        {
        }
    }

    private Task RunPgAsync(string tool, string[] args) =>
        _asRoot ? RunAsync("runuser", ["-u", "postgres", "--", tool, .. args]) : RunAsync(tool, args);

    private static async Task RunAsync(string file, string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetTempPath() };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {file}");
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} failed ({p.ExitCode}): {await stdout}{await stderr}");
        }
    }
}
