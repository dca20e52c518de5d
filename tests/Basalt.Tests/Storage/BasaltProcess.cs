using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Basalt.Tests.Storage;

/// <summary>The real CLI (<c>Basalt.Cli.dll serve</c>) as a child process, so a test can SIGKILL it and start it again.</summary>
public sealed class BasaltProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private BasaltProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public Uri BaseAddress { get; }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Runs a CLI command to completion (e.g. <c>superuser upsert</c>) and returns its exit code and output.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(params string[] args)
    {
        using var process = Process.Start(StartInfo(args)) ?? throw new InvalidOperationException("could not start the CLI");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        return (process.ExitCode, await stdout + await stderr);
    }

    /// <summary>Starts <c>serve</c> on a free loopback port and returns once <c>/api/health</c> answers, with how long that took.</summary>
    public static async Task<(BasaltProcess Process, TimeSpan StartTime)> StartAsync(string dataDir, string? database)
    {
        var port = FreePort();
        var args = new List<string> { "serve", "--http", $"127.0.0.1:{port}", "--dir", dataDir };
        if (database is not null)
        {
            args.AddRange(["--db", database]);
        }

        var started = Stopwatch.StartNew();
        var process = new BasaltProcess(
            Process.Start(StartInfo([.. args])) ?? throw new InvalidOperationException("could not start the CLI"),
            new Uri($"http://127.0.0.1:{port}"));
        using var client = new HttpClient { BaseAddress = process.BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            if (process._process.HasExited)
            {
                throw new InvalidOperationException("basalt serve exited: " + process.Output);
            }

            try
            {
                using var response = await client.GetAsync("/api/health");
                if (response.IsSuccessStatusCode)
                {
                    return (process, started.Elapsed);
                }
            }
            catch (HttpRequestException)
            {
            }

            if (DateTime.UtcNow > deadline)
            {
                await process.DisposeAsync();
                throw new TimeoutException("basalt serve did not answer /api/health: " + process.Output);
            }

            await Task.Delay(25);
        }
    }

    /// <summary>SIGKILL: no shutdown hook runs, as in a crash.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }

    private static ProcessStartInfo StartInfo(string[] args)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Basalt.Cli.dll"));
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        // The child reads its own settings only from its arguments.
        psi.Environment.Remove("BASALT_DB");
        psi.Environment.Remove("BASALT_DURABILITY");
        return psi;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }
}
