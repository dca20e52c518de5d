using System.Text.Json.Nodes;
using Basalt.Auth;
using Basalt.Hosting;
using Basalt.Settings;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Logging.Console;

namespace Basalt.Tests.Fixtures;

/// <summary>
/// A real Basalt server on a free loopback port over a fresh database of the chosen kind.
/// One fixture per test class; tests create their own collections (unique names) so they never depend on each other.
/// </summary>
public abstract class BasaltServerFixture : IAsyncLifetime
{
    public const string SuperuserEmail = "root@example.com";
    public const string SuperuserPassword = "1234567890";

    private WebApplication? _app;
    private string? _dataDir;

    protected abstract StorageKind Kind { get; }

    /// <summary>True for a fixture whose files go to a bucket of its own on <see cref="S3TestServer"/>, set through the settings API.</summary>
    protected virtual bool OnS3 => false;

    public StorageKind Storage => Kind;

    public Uri BaseAddress { get; private set; } = new("http://127.0.0.1");

    public IServiceProvider Services => _app?.Services ?? throw new InvalidOperationException("not started");

    /// <summary>A client with no credentials.</summary>
    public HttpClient Guest { get; private set; } = new();

    /// <summary>A client signed in as the fixture's superuser.</summary>
    public HttpClient Superuser { get; private set; } = new();

    public string? DatabaseConnectionString { get; private set; }

    /// <summary>The S3 settings the fixture saved (bucket, endpoint, keys), or null when files stay in the data folder.</summary>
    public S3Settings? S3 { get; private set; }

    public string DataDir => _dataDir ?? throw new InvalidOperationException("not started");

    /// <summary>Everything the server logged: Basalt's messages at every level, the framework's from Warning.</summary>
    public CapturedLogs Logs { get; } = new();

    public async Task InitializeAsync()
    {
        _dataDir = Path.Combine(Path.GetTempPath(), "basalt-test-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(_dataDir);
        if (Kind == StorageKind.Postgres)
        {
            DatabaseConnectionString = await CreateDatabaseAsync();
        }

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Debug);
        builder.Logging.AddFilter<ConsoleLoggerProvider>(level => level >= LogLevel.Warning).AddConsole();

        // Basalt's own messages at every level (they are few), the framework's only from Warning.
        builder.Logging.AddProvider(Logs);
        builder.Logging.AddFilter<CapturedLogs>(null, LogLevel.Warning);
        builder.Logging.AddFilter<CapturedLogs>("Basalt", LogLevel.Debug);
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddBasalt(o =>
        {
            o.DataDir = _dataDir;
            o.Database = DatabaseConnectionString;
            Configure(o);
        });
        _app = builder.Build();
        _app.MapBasalt();
        Map(_app);
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseAddress = new Uri(address);
        Guest = NewClient();
        if (!WithSuperuser)
        {
            Superuser = NewClient();
            return;
        }

        await _app.Services.GetRequiredService<SuperuserService>().UpsertAsync(SuperuserEmail, SuperuserPassword, CancellationToken.None);
        Superuser = await SignInAsync(Basalt.Model.SystemCollections.Superusers, SuperuserEmail, SuperuserPassword);

        // A new database limits sign-ins by default (even with rateLimits.enabled false); most tests sign in and write
        // in bursts from one IP, so the fixture removes every rule and the rate-limit tests set the rules they exercise.
        using var off = await Superuser.PatchAsJsonAsync("/api/settings", new { rateLimits = new { enabled = false, rules = Array.Empty<object>() } });
        off.EnsureSuccessStatusCode();
        if (OnS3)
        {
            S3 = await S3TestServer.CreateBucketAsync();
            using var s3 = await Superuser.PatchAsJsonAsync("/api/settings", new { s3 = S3.ToJson(includeSecrets: true) });
            s3.EnsureSuccessStatusCode();
        }
    }

    /// <summary>False for a server left without any superuser (the first-run install); <see cref="Superuser"/> then sends no token.</summary>
    protected virtual bool WithSuperuser => true;
    /// <summary>Signs the fixture's superuser in again: another node's upsert of it (same database) ended its token.</summary>
    public async Task RenewSuperuserAsync()
    {
        var renewed = await SignInAsync(Basalt.Model.SystemCollections.Superusers, SuperuserEmail, SuperuserPassword);
        Superuser.Dispose();
        Superuser = renewed;
    }

    /// <summary>The PostgreSQL database of the server: a fresh one, unless the fixture is one node of several on one database.</summary>
    protected virtual Task<string> CreateDatabaseAsync() => PostgresCluster.CreateDatabaseAsync();

    /// <summary>Lets a fixture change the server's options (a short read deadline, say) before it starts.</summary>
    protected virtual void Configure(BasaltOptions options)
    {
    }

    /// <summary>Lets a fixture add routes of its own beside Basalt's, as a host that embeds Basalt may.</summary>
    protected virtual void Map(WebApplication app)
    {
    }

    public HttpClient NewClient(string? token = null)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        if (token is not null)
        {
            client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", token);
        }

        return client;
    }

    /// <summary>Signs in with <c>auth-with-password</c> and returns a client that sends the token.</summary>
    public async Task<HttpClient> SignInAsync(string collection, string identity, string password)
    {
        using var response = await Guest.PostAsJsonAsync($"/api/collections/{collection}/auth-with-password", new { identity, password });
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"sign-in failed: {(int)response.StatusCode} {body}");
        }

        var token = JsonNode.Parse(body)!["token"]!.GetValue<string>();
        return NewClient(token);
    }

    public async Task DisposeAsync()
    {
        Guest.Dispose();
        Superuser.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        try
        {
            if (_dataDir is not null)
            {
                Directory.Delete(_dataDir, true);
            }
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>Basalt on embedded SQLite.</summary>
public sealed class SqliteServerFixture : BasaltServerFixture
{
    protected override StorageKind Kind => StorageKind.Sqlite;
}

/// <summary>Basalt on PostgreSQL.</summary>
public sealed class PostgresServerFixture : BasaltServerFixture
{
    protected override StorageKind Kind => StorageKind.Postgres;
}

/// <summary>Basalt on embedded SQLite with its files in an S3 bucket.</summary>
public sealed class SqliteS3ServerFixture : BasaltServerFixture
{
    protected override StorageKind Kind => StorageKind.Sqlite;

    protected override bool OnS3 => true;
}

/// <summary>Basalt on PostgreSQL with its files in an S3 bucket.</summary>
public sealed class PostgresS3ServerFixture : BasaltServerFixture
{
    protected override StorageKind Kind => StorageKind.Postgres;

    protected override bool OnS3 => true;
}
