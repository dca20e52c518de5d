using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Basalt.Tests.Fixtures;

namespace Basalt.Tests.Storage;

/// <summary>
/// The real CLI (<c>Basalt.Cli.dll serve</c>) as a child process, so a test can SIGKILL it and start it again. A server
/// whose test failed before disposing it (an assertion, a timeout that abandons the test) is still killed: a start that
/// fails kills its process, and every server still running when the test host exits is killed then.
/// </summary>
public sealed class BasaltProcess : IAsyncDisposable
{
    private static readonly ConcurrentDictionary<BasaltProcess, bool> Running = new();
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    static BasaltProcess()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            foreach (var server in Running.Keys)
            {
                server.KillNow();
            }
        };
    }

    private BasaltProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
        Running[this] = true;
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public Uri BaseAddress { get; }

    /// <summary>The TCP port the server listens on.</summary>
    public int Port => BaseAddress.Port;

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

    /// <summary>Starts <c>serve</c> on a free loopback port (or <paramref name="port"/>) and returns once <c>/api/health</c> answers, with how long that took.</summary>
    public static async Task<(BasaltProcess Process, TimeSpan StartTime)> StartAsync(string dataDir, string? database, int? port = null)
    {
        port ??= FreePort();
        var args = new List<string> { "serve", "--http", $"127.0.0.1:{port}", "--dir", dataDir };
        if (database is not null)
        {
            args.AddRange(["--db", database]);
        }

        var started = Stopwatch.StartNew();
        var process = new BasaltProcess(
            Process.Start(StartInfo([.. args])) ?? throw new InvalidOperationException("could not start the CLI"),
            new Uri($"http://127.0.0.1:{port}"));
        try
        {
            await WaitUntilHealthyAsync(process);
            return (process, started.Elapsed);
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }
    }

    private static async Task WaitUntilHealthyAsync(BasaltProcess process)
    {
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
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("basalt serve did not answer /api/health: " + process.Output);
            }

            await Task.Delay(25);
        }
    }

    /// <summary>SIGSTOP: the process keeps its sockets and its database sessions but runs nothing until <see cref="ResumeAsync"/>.</summary>
    public Task SuspendAsync() => PosixSignal.SendAsync(_process.Id, "STOP");

    /// <summary>SIGCONT after <see cref="SuspendAsync"/>.</summary>
    public Task ResumeAsync() => PosixSignal.SendAsync(_process.Id, "CONT");

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
        Running.TryRemove(this, out _);
        _process.Dispose();
    }

    private void KillNow()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // Already exited, or disposed meanwhile.
        }
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
