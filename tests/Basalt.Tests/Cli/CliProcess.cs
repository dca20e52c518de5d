using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Basalt.Tests.Cli;

/// <summary>The built Basalt CLI run as a child process, with its output collected for assertions.</summary>
internal sealed class CliProcess : IAsyncDisposable
{
    private static readonly string[] BasaltVariables = [
        "BASALT_DB", "BASALT_DIR", "BASALT_HTTP", "BASALT_DURABILITY", "BASALT_ORIGINS", "BASALT_READ_TIMEOUT", "BASALT_READS_PER_CLIENT",
        "BASALT_CLIENT_READS", "BASALT_METRICS",
        "BASALT_METRICS_HTTP", "BASALT_LOG_LEVEL", "BASALT_MIGRATIONS", "BASALT_AUTOMIGRATE", "BASALT_MIGRATE",
    ];
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private CliProcess(Process process)
    {
        _process = process;
    }

    public int Id => _process.Id;

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

    /// <summary>The CLI's dll, built next to the test project's output by the project reference.</summary>
    public static string CliDll
    {
        get
        {
            var testDir = AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar);
            var configuration = Path.GetFileName(testDir);
            var own = Path.GetFullPath(Path.Combine(testDir, "..", "..", "Basalt.Cli", configuration, "Basalt.Cli.dll"));
            return File.Exists(own) ? own : Path.Combine(testDir, "Basalt.Cli.dll");
        }
    }

    public static CliProcess Start(params string[] args) => Start(new Dictionary<string, string>(), args);

    /// <summary>Starts the CLI with <paramref name="environment"/> as its only <c>BASALT_*</c> variables.</summary>
    public static CliProcess Start(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        psi.ArgumentList.Add(CliDll);
        foreach (var arg in args)
        {
            psi.ArgumentList.Add(arg);
        }

        // The runner's own BASALT_* settings must not leak into the process under test.
        foreach (var name in BasaltVariables)
        {
            psi.Environment.Remove(name);
        }

        foreach (var (name, value) in environment)
        {
            psi.Environment[name] = value;
        }

        var process = new Process { StartInfo = psi, EnableRaisingEvents = true };
        var cli = new CliProcess(process);
        process.OutputDataReceived += (_, e) => cli.Append(e.Data);
        process.ErrorDataReceived += (_, e) => cli.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return cli;
    }

    /// <summary>Runs a command to completion: exit code and combined output.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(params string[] args)
    {
        await using var cli = Start(args);
        var code = await cli.WaitForExitAsync(TimeSpan.FromSeconds(120));
        return (code, cli.Output);
    }

    public async Task WaitForOutputAsync(string text, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!Output.Contains(text, StringComparison.Ordinal))
        {
            if (_process.HasExited && !Output.Contains(text, StringComparison.Ordinal))
            {
                await _process.WaitForExitAsync();
                if (!Output.Contains(text, StringComparison.Ordinal))
                {
                    throw new InvalidOperationException($"process exited ({_process.ExitCode}) before printing \"{text}\":\n{Output}");
                }

                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"no \"{text}\" within {timeout}:\n{Output}");
            }

            await Task.Delay(50);
        }
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        return _process.ExitCode;
    }

    /// <summary>Sends a POSIX signal (INT, TERM) the way a terminal or a supervisor would.</summary>
    public async Task SignalAsync(string signal)
    {
        using var kill = Process.Start("kill", ["-" + signal, _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
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
