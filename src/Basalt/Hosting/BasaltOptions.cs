using Basalt.Api;
using Basalt.Migrations;
using Basalt.Storage;

namespace Basalt.Hosting;

/// <summary>Settings a host gives Basalt: where data lives, which database, how durable writes are.</summary>
public sealed class BasaltOptions
{
    /// <summary>The data folder; SQLite's file and (later) uploaded files live here.</summary>
    public string DataDir { get; set; } = "basalt_data";

    /// <summary>A <c>postgres://</c> URL (or Npgsql connection string); null or empty means embedded SQLite.</summary>
    public string? Database { get; set; }

    /// <summary>How SQLite acknowledges writes: <see cref="Storage.Durability.Full"/> (the default) or <see cref="Storage.Durability.Fast"/>.</summary>
    public Durability Durability { get; set; } = Durability.Full;

    /// <summary>CORS allowed origins (<c>scheme://host[:port]</c>); empty, or "*" among them, allows any.</summary>
    public IList<string> Origins { get; } = [];

    /// <summary>Largest request body accepted, in bytes.</summary>
    public long MaxBodySize { get; set; } = 32L << 20;

    /// <summary>A realtime (SSE) connection closes after this long without a message sent (PocketBase: 5 minutes).</summary>
    public TimeSpan RealtimeIdleTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>A realtime (SSE) connection closes after this long in any case (PocketBase: 30 minutes).</summary>
    public TimeSpan RealtimeMaxLifetime { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>
    /// The longest a database read may run (a list, a view, an expand level, a count); past it the read is interrupted
    /// and the request answers 400 "The request took too long." PocketBase has no limit; 5 seconds leaves room for
    /// large legitimate pages while keeping a hostile filter from holding a reader for long.
    /// </summary>
    public TimeSpan ReadTimeout { get; set; } = StorageOptions.DefaultReadTimeout;

    /// <summary>
    /// How many record reads (list and view requests) one client may run at once; more wait for a turn, at most
    /// <see cref="ReadTimeout"/>, then answer 429. A client is an IP address, and for IPv6 its /64 network (one
    /// subscriber's usual block). Superusers are not limited. Unset, the database decides
    /// (<see cref="Storage.IDatabase.ReadsPerClient"/>): on SQLite one per core (at least two), all the CPU one client
    /// could use anyway, leaving half of SQLite's readers (two per core) to everyone else; on PostgreSQL an eighth of
    /// the read pool (9 of the 74 read connections of the default budget of 100), since a read there mostly waits for its
    /// round trip. Behind a reverse proxy, set <c>trustedProxy</c> or every client shares one IP's turns.
    /// </summary>
    public int? MaxConcurrentReadsPerClient { get; set; }

    /// <summary>
    /// How many record reads all clients but superusers may run at once, whatever their addresses; more wait for a turn
    /// as above. A quarter of these turns only serves a client's first read, so a client running no read gets in while
    /// others hold all theirs. Unset, the database decides (<see cref="Storage.IDatabase.ReadsForClients"/>): its readers
    /// less a quarter kept for superusers and Basalt's own reads (SQLite: 3 of 4 readers on two cores; PostgreSQL: 56 of
    /// 74 read connections). Set above the database's readers, superusers' reads can wait behind hostile ones again.
    /// </summary>
    public int? MaxConcurrentClientReads { get; set; }

    /// <summary>Serves Prometheus metrics at <c>/metrics</c> (off by default: the figures are for the operator, not the app's clients).</summary>
    public bool Metrics { get; set; }

    /// <summary>
    /// <c>http://host:port</c> of a listener of its own that serves <c>/metrics</c> and nothing else; the API's address
    /// then has no <c>/metrics</c>, so the figures can stay on a private interface. Setting it turns metrics on.
    /// </summary>
    public string? MetricsUrl { get; set; }

    /// <summary>Runs the cron jobs (§11 <c>/api/crons</c>) on their schedule; the one-shot CLI commands turn it off. A run asked for by hand still runs.</summary>
    public bool CronJobs { get; set; } = true;

    /// <summary>
    /// The folder of migration files (<c>TIMESTAMP_NAME.json</c>, committed to version control); null means
    /// <c>basalt_migrations</c> beside the data folder (<c>./basalt_data</c> → <c>./basalt_migrations</c>).
    /// </summary>
    public string? MigrationsDir { get; set; }

    /// <summary>
    /// Every collection change made through the API (the dashboard's too) writes a migration file into the migrations
    /// folder. Off by default: a production server should apply migrations, not write them.
    /// </summary>
    public bool Automigrate { get; set; }

    /// <summary>Applies the folder's pending migrations when the host starts, before it takes requests (off by default for hosts; <c>basalt serve</c> turns it on).</summary>
    public bool MigrateAtStart { get; set; }

    /// <summary>The migrations folder, absolute: <see cref="MigrationsDir"/>, or <c>basalt_migrations</c> beside <see cref="DataDir"/>.</summary>
    public string MigrationsFolder => Path.GetFullPath(
        string.IsNullOrWhiteSpace(MigrationsDir)
            ? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(DataDir).TrimEnd(Path.DirectorySeparatorChar)) ?? Path.GetFullPath(DataDir), "basalt_migrations")
            : MigrationsDir);

    /// <summary>True when metrics are served, on the API's address or on <see cref="MetricsUrl"/>.</summary>
    public bool MetricsOn => Metrics || !string.IsNullOrWhiteSpace(MetricsUrl);

    /// <summary>
    /// Serves <c>/api/openapi.json</c> to everyone, not only superusers: guests and users then get the routes whose rules
    /// are not locked, without hidden fields or superuser-only routes. Off by default, because the document names every
    /// such collection and field, which an app may not want to tell strangers.
    /// </summary>
    public bool PublicOpenApi { get; set; }

    /// <summary>The longest one statement of the SQL console (<c>POST /api/sql</c>) may run before it is stopped (400).</summary>
    public TimeSpan SqlTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Largest body of a records import (<c>POST /api/collections/{c}/import</c>), in bytes: 50 MB.</summary>
    public long ImportMaxBodySize { get; set; } = 50L << 20;

    /// <summary>Most rows one records import may hold; all of them are written in one transaction.</summary>
    public int ImportMaxRows { get; set; } = 100_000;

    /// <summary>The part of these options the storage layer reads.</summary>
    public StorageOptions ToStorage() => new() { DataDir = DataDir, Database = Database, Durability = Durability, ReadTimeout = ReadTimeout };

    /// <summary>The part of these options migrations read.</summary>
    public MigrationOptions ToMigrations() => new() { Folder = MigrationsFolder, Automigrate = Automigrate, ApplyAtStart = MigrateAtStart };

    /// <summary>Copies the part of these options the HTTP layer reads; what they leave unset, <paramref name="database"/> decides.</summary>
    public void ApplyTo(ApiOptions api, IDatabase database)
    {
        api.MaxBodySize = MaxBodySize;
        api.MaxConcurrentReadsPerClient = MaxConcurrentReadsPerClient ?? database.ReadsPerClient;
        api.MaxConcurrentClientReads = MaxConcurrentClientReads ?? database.ReadsForClients;
        api.ReadTimeout = ReadTimeout;
        api.RealtimeIdleTimeout = RealtimeIdleTimeout;
        api.RealtimeMaxLifetime = RealtimeMaxLifetime;
        api.PublicOpenApi = PublicOpenApi;
        api.SqlTimeout = SqlTimeout;
        api.ImportMaxBodySize = ImportMaxBodySize;
        api.ImportMaxRows = ImportMaxRows;
    }

    public bool IsPostgres => !string.IsNullOrWhiteSpace(Database);
}
