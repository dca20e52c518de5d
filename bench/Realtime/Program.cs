using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Realtime;

// Issue 13's realtime benchmark: N subscribers on one collection opened at --rate per second, a warm-up create, then
// --creates creates one every --interval ms; prints one Markdown row with the latency from just before each create
// was sent to its arrival on each stream, events out of order, events/s, create latency and the server's RSS.
var options = Options.Parse(args);

// Subscribes and creates go over a small pool of their own, so the server holds one connection per stream, as it
// would for browsers whose other requests are done, rather than one more per concurrent subscribe.
using var calls = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 32 }) { BaseAddress = options.Url, Timeout = TimeSpan.FromMinutes(10) };

// With --sources, a stream and its subscribe leave from the same loopback address, one of N.
var sources = options.Sources > 1
    ? Enumerable.Range(0, options.Sources).Select(i => IPAddress.Parse("127.0.0." + (10 + i).ToString(CultureInfo.InvariantCulture))).ToList()
    : [];
var sourceCalls = sources.Select(address => new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 4, ConnectCallback = (context, ct) => ConnectFromAsync(address, context, ct) })
{
    BaseAddress = options.Url,
    Timeout = TimeSpan.FromMinutes(10),
}).ToList();
var api = new Api(calls);
await api.SignInAsync(options.Email, options.Password);
var tokens = options.Users > 0 ? await api.UsersAsync(options.Users) : [];
var posts = await api.CreatePostsAsync(options.Users > 0 ? "@request.auth.id != ''" : "");
if (options.WarmupEvents > 0)
{
    await WarmUpAsync();
}

var rssIdle = Rss(options.ServerPid);

using var stop = new CancellationTokenSource();
var subscribers = new List<Subscriber>(options.Subscribers);
var opening = Stopwatch.StartNew();
var streams = new List<Task>(options.Subscribers);
for (var i = 0; i < options.Subscribers; i++)
{
    var due = TimeSpan.FromSeconds((double)i / options.OpenRate) - opening.Elapsed;
    if (due > TimeSpan.Zero)
    {
        await Task.Delay(due);
    }

    var subscriber = new Subscriber(options.Creates);
    subscribers.Add(subscriber);
    var source = sources.Count > 0 ? i % sources.Count : -1;
    streams.Add(subscriber.RunAsync(
        options.Url, source < 0 ? null : sources[source], source < 0 ? calls : sourceCalls[source], posts + "/*", tokens.Count > 0 ? tokens[i % tokens.Count] : null, stop.Token));
}

await Task.WhenAll(subscribers.Select(s => s.Subscribed));
var openSeconds = opening.Elapsed.TotalSeconds;
await Task.Delay(TimeSpan.FromSeconds(3));
var rssSubscribed = Rss(options.ServerPid);
if (options.HoldSeconds > 0)
{
    // Idle streams held open for a heap snapshot of the server (dotnet-gcdump), before any event.
    Console.Error.WriteLine($"{options.Subscribers} subscribed; holding {options.HoldSeconds} s");
    await Task.Delay(TimeSpan.FromSeconds(options.HoldSeconds));
}

// Warm-up: one create every stream must receive before the timed ones.
await CreateAsync(0);
await WaitAsync(s => s.Arrivals[0] != 0, TimeSpan.FromSeconds(120));

var serverCpu0 = CpuSeconds(options.ServerPid);
var ownCpu0 = Process.GetCurrentProcess().TotalProcessorTime;
var sent = new long[options.Creates + 1];
var createMs = new double[options.Creates + 1];
var creating = new List<Task>();
var clock = Stopwatch.StartNew();
for (var k = 1; k <= options.Creates; k++)
{
    var due = TimeSpan.FromMilliseconds(options.IntervalMs * (k - 1)) - clock.Elapsed;
    if (due > TimeSpan.Zero)
    {
        await Task.Delay(due);
    }

    var sequence = k;
    creating.Add(Task.Run(async () =>
    {
        sent[sequence] = Stopwatch.GetTimestamp();
        await CreateAsync(sequence);
        createMs[sequence] = Stopwatch.GetElapsedTime(sent[sequence]).TotalMilliseconds;
    }));
}

await Task.WhenAll(creating);
await WaitAsync(s => s.Received == options.Creates + 1, TimeSpan.FromSeconds(120));
var serverCpu = CpuSeconds(options.ServerPid) - serverCpu0;
var ownCpu = (Process.GetCurrentProcess().TotalProcessorTime - ownCpu0).TotalSeconds;
var rssAfter = Rss(options.ServerPid);
await stop.CancelAsync();

var latencies = new List<double>(options.Subscribers * options.Creates);
var missing = 0;
var lastArrival = 0L;
foreach (var subscriber in subscribers)
{
    for (var k = 1; k <= options.Creates; k++)
    {
        var arrival = subscriber.Arrivals[k];
        if (arrival == 0)
        {
            missing++;
            continue;
        }

        latencies.Add(Stopwatch.GetElapsedTime(sent[k], arrival).TotalMilliseconds);
        lastArrival = Math.Max(lastArrival, arrival);
    }
}

latencies.Sort();
var creates = createMs.Skip(1).Order().ToList();
var seconds = Stopwatch.GetElapsedTime(sent[1], lastArrival).TotalSeconds;
Console.WriteLine(string.Create(
    CultureInfo.InvariantCulture,
    $"| {options.Label} | {options.Subscribers:N0} | {Pct(latencies, 50):F0} | {Pct(latencies, 90):F0} | {Pct(latencies, 99):F0} | {latencies[^1]:F0} | " +
    $"{subscribers.Sum(s => s.OutOfOrder)} | {missing} | {latencies.Count / seconds:N0} | {Pct(creates, 50):F1} | {Pct(creates, 99):F1} | " +
    $"{rssIdle / 1024:N0} | {rssSubscribed / 1024:N0} | {rssAfter / 1024:N0} | {(rssSubscribed - rssIdle) / (double)options.Subscribers:F1} | {openSeconds:F1} | " +
    $"{serverCpu * 1e6 / Math.Max(1, latencies.Count):F1} | {ownCpu * 1e6 / Math.Max(1, latencies.Count):F1} |"));
return 0;

async Task CreateAsync(int sequence)
{
    using var response = await calls.PostAsJsonAsync($"/api/collections/{posts}/records", new JsonObject { ["title"] = "s" + sequence.ToString(CultureInfo.InvariantCulture) });
    response.EnsureSuccessStatusCode();
}

async Task WaitAsync(Func<Subscriber, bool> done, TimeSpan timeout)
{
    var deadline = Stopwatch.StartNew();
    while (!subscribers.All(done) && deadline.Elapsed < timeout)
    {
        await Task.Delay(50);
    }
}

// A server just started runs much of the fan-out through the JIT (tier-up, PGO): some events to 100 streams on a
// collection of their own first, so the timed run measures the server as it runs, not as it compiles.
async Task WarmUpAsync()
{
    var warm = await api.CreatePostsAsync(options.Users > 0 ? "@request.auth.id != ''" : "");
    using var done = new CancellationTokenSource();
    var warmers = Enumerable.Range(0, 100).Select(_ => new Subscriber(0)).ToList();
    var running = warmers.Select((w, i) =>
    {
        var source = sources.Count > 0 ? i % sources.Count : -1;
        return w.RunAsync(options.Url, source < 0 ? null : sources[source], source < 0 ? calls : sourceCalls[source], warm + "/*", tokens.Count > 0 ? tokens[i % tokens.Count] : null, done.Token);
    }).ToList();
    await Task.WhenAll(warmers.Select(w => w.Subscribed));
    for (var i = 0; i < options.WarmupEvents; i++)
    {
        using var response = await calls.PostAsJsonAsync($"/api/collections/{warm}/records", new JsonObject { ["title"] = "warm" });
        response.EnsureSuccessStatusCode();
        await Task.Delay(10);
    }

    await Task.Delay(TimeSpan.FromSeconds(2));
    await done.CancelAsync();
    await Task.WhenAll(running);
}

static async ValueTask<Stream> ConnectFromAsync(IPAddress local, SocketsHttpConnectionContext context, CancellationToken cancellationToken)
{
    var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
    try
    {
        socket.Bind(new IPEndPoint(local, 0));
        await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
        return new NetworkStream(socket, ownsSocket: true);
    }
    catch
    {
        socket.Dispose();
        throw;
    }
}

static double Pct(List<double> sorted, double percentile) =>
    sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(percentile / 100 * sorted.Count) - 1)];

// User and system CPU time the server has used, in seconds (0 when no pid was given).
static double CpuSeconds(int pid)
{
    if (pid == 0)
    {
        return 0;
    }

    // Fields 14 and 15 of /proc/PID/stat, after the parenthesized command name, in clock ticks (100 per second here).
    var stat = File.ReadAllText($"/proc/{pid}/stat");
    var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
    return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
}

// VmRSS of the server, in kB (0 when no pid was given).
static long Rss(int pid)
{
    if (pid == 0)
    {
        return 0;
    }

    var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
    return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
}
