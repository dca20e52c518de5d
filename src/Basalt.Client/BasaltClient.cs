using Basalt.Client.Admin;
using Basalt.Client.Auth;
using Basalt.Client.Batch;
using Basalt.Client.Files;
using Basalt.Client.Realtime;
using Basalt.Client.Records;

namespace Basalt.Client;

/// <summary>
/// The entry point: one client per server and signed-in identity, over an <see cref="HttpClient"/> the app owns (in
/// Blazor WebAssembly the injected one; elsewhere one from <c>IHttpClientFactory</c> or a long-lived instance).
/// Every call is asynchronous and takes a <see cref="CancellationToken"/>.
/// </summary>
public sealed partial class BasaltClient : IAsyncDisposable
{
    private readonly HttpClient _http;
    private readonly Lazy<RealtimeService> _realtime;

    /// <param name="http">Sends every request; not disposed by this client.</param>
    /// <param name="baseAddress">The server's address (<c>http://127.0.0.1:8090/</c>); <paramref name="http"/>'s BaseAddress when null.</param>
    /// <param name="authStore">Holds the token and record; a new in-memory store when null.</param>
    public BasaltClient(HttpClient http, Uri? baseAddress = null, AuthStore? authStore = null)
    {
        _http = http;
        var address = baseAddress ?? http.BaseAddress ?? throw new ArgumentException("Give a base address, or an HttpClient with a BaseAddress.", nameof(baseAddress));
        BaseAddress = address.AbsoluteUri.EndsWith('/') ? address : new Uri(address.AbsoluteUri + "/");
        AuthStore = authStore ?? new AuthStore();
        Collections = new CollectionService(this);
        Files = new FileService(this);
        Settings = new SettingsService(this);
        Logs = new LogService(this);
        Backups = new BackupService(this);
        Crons = new CronService(this);
        Health = new HealthService(this);
        Sql = new SqlService(this);
        Install = new InstallService(this);
        _realtime = new Lazy<RealtimeService>(() => new RealtimeService(this));
    }

    /// <summary>The server's address, ending with <c>/</c>.</summary>
    public Uri BaseAddress { get; }

    /// <summary>The token and auth record sent with every request.</summary>
    public AuthStore AuthStore { get; }

    public CollectionService Collections { get; }

    public FileService Files { get; }

    public SettingsService Settings { get; }

    public LogService Logs { get; }

    public BackupService Backups { get; }

    public CronService Crons { get; }

    public HealthService Health { get; }

    /// <summary><c>POST /api/sql</c>, the superuser's SQL console.</summary>
    public SqlService Sql { get; }

    /// <summary>The first superuser, from the one-time link <c>basalt serve</c> prints.</summary>
    public InstallService Install { get; }

    /// <summary>The realtime connection (opened on the first subscription, closed when the last one goes).</summary>
    public RealtimeService Realtime => _realtime.Value;

    internal HttpClient Http => _http;

    /// <summary>The records (and, for an auth collection, the sign-in flows) of one collection, by name or id.</summary>
    public RecordService Collection(string idOrName) => new(this, idOrName);

    /// <summary>The superusers' collection: <c>Superusers.AuthWithPasswordAsync(email, password)</c>.</summary>
    public RecordService Superusers => Collection("_superusers");

    /// <summary>A batch of record writes sent together in one transaction (<c>POST /api/batch</c>).</summary>
    public BatchRequest CreateBatch() => new(this);

    /// <summary>
    /// A filter with <c>{:name}</c> placeholders replaced by safely quoted values, as the JS SDK's <c>pb.filter</c>:
    /// <c>client.Filter("title = {:title} &amp;&amp; created &gt; {:since}", new() { ["title"] = title, ["since"] = since })</c>.
    /// </summary>
    public static string Filter(string expression, IReadOnlyDictionary<string, object?> parameters) => global::Basalt.Client.Filter.Format(expression, parameters);

    public async ValueTask DisposeAsync()
    {
        if (_realtime.IsValueCreated)
        {
            await _realtime.Value.DisposeAsync();
        }
    }
}
