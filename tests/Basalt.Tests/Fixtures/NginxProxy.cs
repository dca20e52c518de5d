using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Basalt.Tests.Fixtures;

/// <summary>
/// Debian's nginx on a free loopback port in front of Basalt nodes, run with <c>docs/nginx-basalt.conf</c> (the file
/// docs/deploy.md tells users to copy), only its ports replaced. One process (<c>master_process off</c>) with its files in
/// a temp folder; its access log names the node (<c>$upstream_addr</c>) that answered each finished request.
/// </summary>
public sealed class NginxProxy : IAsyncDisposable
{
    /// <summary>The node addresses in docs/nginx-basalt.conf, replaced in order by the real ones.</summary>
    private static readonly string[] ConfiguredNodes = ["127.0.0.1:8091", "127.0.0.1:8092", "127.0.0.1:8093"];
    private static readonly string[] Binaries = ["/usr/sbin/nginx", "/usr/local/sbin/nginx"];
    private static readonly ConcurrentDictionary<NginxProxy, bool> Running = new();

    private readonly Process _process;
    private readonly string _directory;
    private readonly StringBuilder _output = new();

    static NginxProxy()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            foreach (var proxy in Running.Keys)
            {
                proxy.KillNow();
            }
        };
    }

    private NginxProxy(Process process, string directory, Uri baseAddress)
    {
        _process = process;
        _directory = directory;
        BaseAddress = baseAddress;
        Running[this] = true;
    }

    public Uri BaseAddress { get; }

    /// <summary>Starts nginx in front of the nodes at <paramref name="nodes"/> (three, as the shipped file has).</summary>
    public static async Task<NginxProxy> StartAsync(IReadOnlyList<Uri> nodes)
    {
        if (nodes.Count != ConfiguredNodes.Length)
        {
            throw new ArgumentException($"docs/nginx-basalt.conf names {ConfiguredNodes.Length} nodes", nameof(nodes));
        }

        var binary = Binaries.FirstOrDefault(File.Exists) ?? throw new InvalidOperationException(
            "The three-node tests need Debian's nginx (apt-get install nginx; ./test installs it when it runs as root).");
        var directory = Path.Combine(Path.GetTempPath(), "basalt-nginx-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(directory);
        var port = FreePort();
        var site = await File.ReadAllTextAsync(Path.Combine(RepositoryRoot(), "docs", "nginx-basalt.conf"));
        site = Replace(site, "listen 80;", $"listen 127.0.0.1:{port};");
        for (var i = 0; i < nodes.Count; i++)
        {
            site = Replace(site, ConfiguredNodes[i], $"127.0.0.1:{nodes[i].Port}");
        }

        await File.WriteAllTextAsync(Path.Combine(directory, "basalt.conf"), site);
        await File.WriteAllTextAsync(Path.Combine(directory, "nginx.conf"), MainConfig(directory));

        var psi = new ProcessStartInfo(binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = directory,
        };
        foreach (var arg in new[] { "-p", directory, "-c", Path.Combine(directory, "nginx.conf"), "-e", Path.Combine(directory, "error.log") })
        {
            psi.ArgumentList.Add(arg);
        }

        var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start nginx");
        var proxy = new NginxProxy(process, directory, new Uri($"http://127.0.0.1:{port}"));
        process.OutputDataReceived += (_, e) => proxy.Append(e.Data);
        process.ErrorDataReceived += (_, e) => proxy.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await proxy.WaitUntilListeningAsync(port);
            return proxy;
        }
        catch
        {
            await proxy.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// The node port of every finished request from <paramref name="clientAddress"/> whose request line starts with
    /// <paramref name="requestStart"/> (e.g. <c>POST /api/realtime</c>), oldest first; the last node tried when nginx
    /// skipped one.
    /// </summary>
    public IReadOnlyList<int> NodesThatAnswered(string clientAddress, string requestStart)
    {
        var path = Path.Combine(_directory, "access.log");
        if (!File.Exists(path))
        {
            return [];
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        var ports = new List<int>();
        while (reader.ReadLine() is { } line)
        {
            // remote_addr "request" status upstream_addr
            var parts = line.Split('"');
            if (parts.Length < 3 || parts[0].Trim() != clientAddress || !parts[1].StartsWith(requestStart, StringComparison.Ordinal))
            {
                continue;
            }

            var upstream = parts[2].Trim().Split(' ', 2)[^1].Split(',')[^1].Trim();
            if (upstream.LastIndexOf(':') is var colon and > 0 && int.TryParse(upstream[(colon + 1)..], CultureInfo.InvariantCulture, out var port))
            {
                ports.Add(port);
            }
        }

        return ports;
    }

    /// <summary>nginx's error log so far: why it skipped a node, for a failing assertion's message.</summary>
    public string ErrorLog => ReadErrorLog();

    public async ValueTask DisposeAsync()
    {
        KillNow();
        await _process.WaitForExitAsync();
        Running.TryRemove(this, out _);
        _process.Dispose();
        try
        {
            Directory.Delete(_directory, true);
        }
        catch (IOException)
        {
        }
    }

    private static string Replace(string text, string what, string with) =>
        text.Contains(what, StringComparison.Ordinal)
            ? text.Replace(what, with, StringComparison.Ordinal)
            : throw new InvalidOperationException($"docs/nginx-basalt.conf no longer contains \"{what}\", which the tests replace");

    /// <summary>The main context the shipped file is included into (Debian's /etc/nginx/nginx.conf plays this part).</summary>
    private static string MainConfig(string directory) => $$"""
        daemon off;
        master_process off;
        pid {{directory}}/nginx.pid;
        worker_rlimit_nofile 16384;
        error_log {{directory}}/error.log warn;
        events {
            worker_connections 4096;
        }
        http {
            log_format upstream '$remote_addr "$request" $status $upstream_addr';
            access_log {{directory}}/access.log upstream;
            client_body_temp_path {{directory}}/client_body;
            proxy_temp_path {{directory}}/proxy;
            fastcgi_temp_path {{directory}}/fastcgi;
            uwsgi_temp_path {{directory}}/uwsgi;
            scgi_temp_path {{directory}}/scgi;
            include {{directory}}/basalt.conf;
        }
        """;

    private async Task WaitUntilListeningAsync(int port)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"nginx exited ({_process.ExitCode}): {Output}{ReadErrorLog()}");
            }

            using var client = new TcpClient();
            try
            {
                await client.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException)
            {
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("nginx did not listen: " + Output + ReadErrorLog());
            }

            await Task.Delay(25);
        }
    }

    private string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    private string ReadErrorLog()
    {
        var path = Path.Combine(_directory, "error.log");
        return File.Exists(path) ? File.ReadAllText(path) : "";
    }

    private void KillNow()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // Already exited.
        }
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

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Basalt.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Basalt.slnx not found above " + AppContext.BaseDirectory);
    }
}
