using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Basalt.Auth;
using Basalt.Hosting;
using Basalt.Settings;
using Basalt.Storage;
using Basalt.Storage.Postgres;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Basalt.Cli;

/// <summary><c>basalt serve</c>: runs the server until SIGINT/SIGTERM, then stops gracefully.</summary>
internal static class ServeCommand
{
    // Long enough for any sane request in flight to finish; the host waits this long at most before cutting them off.
    private static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(30);

    public static async Task<int> RunAsync(CliArguments args, TextWriter output)
    {
        var url = args.ListenUrl();
        var probe = new BasaltOptions();
        args.Apply(probe);
        var migrateAtStart = args.MigrateAtStart;
        _ = Task.Run(() => PreWarm(sqlite: !probe.IsPostgres));

        // The empty builder, not the slim one: Basalt reads no appsettings.json, environment configuration or Kestrel
        // section (its options come from the command line and BASALT_* variables), so the configuration sources, their
        // file watcher and the host-filtering middleware are start-up time for nothing.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore();
        builder.Services.AddRouting();
        CliLogging.Configure(builder.Logging, args, toStandardError: false);
        builder.WebHost.UseUrls(url);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = ShutdownTimeout);
        builder.Services.AddBasalt(o =>
        {
            args.Apply(o);
            o.MigrateAtStart = migrateAtStart;
        });

        await using var app = builder.Build();
        var warmUp = Task.Run(() => WarmUpAsync(app.Services));
        app.MapBasalt();
        await app.StartAsync();
        await warmUp;

        // Written in one piece: the console logger writes from a thread of its own and would split the lines.
        var options = app.Services.GetRequiredService<IOptions<BasaltOptions>>().Value;
        using var banner = new StringWriter();
        banner.WriteLine($"Basalt server started at {url}");
        banner.WriteLine($"  REST API:   {url}/api/");
        banner.WriteLine($"  Database:   {DescribeDatabase(options)}");
        banner.WriteLine($"  Durability: {DescribeDurability(options)}");
        var api = app.Services.GetRequiredService<IOptions<Basalt.Api.ApiOptions>>().Value;
        banner.WriteLine($"  Read turns: {api.MaxConcurrentReadsPerClient} per client, {api.MaxConcurrentClientReads} for all clients (superusers are not counted)");
        if (options.Automigrate)
        {
            banner.WriteLine($"  Automigrate: on, collection changes write migrations to {options.MigrationsFolder}");
        }

        if (!await app.Services.GetRequiredService<SuperuserService>().AnyAsync(CancellationToken.None))
        {
            var token = app.Services.GetRequiredService<SuperuserInstall>().Issue();
            banner.WriteLine();
            banner.WriteLine("No superuser exists yet. Open this one-time link (valid for an hour) to create one in the browser:");
            banner.WriteLine($"  {url}/_/#/install?token={token}");
            banner.WriteLine("or create one with:");
            banner.WriteLine($"  ./basalt superuser upsert EMAIL PASSWORD{DirArgument(args)}");
        }

        banner.WriteLine();
        banner.WriteLine("Press Ctrl-C to stop.");
        output.Write(banner.ToString());
        await output.FlushAsync();

        await app.WaitForShutdownAsync();
        output.WriteLine("Basalt stopped.");
        return 0;
    }

    /// <summary>
    /// Opens the database, checks its schema and reads the settings on a pool thread while this one maps the endpoints
    /// and starts the host: on two cores that overlaps most of the database's start-up work with the pipeline's. The
    /// host's own start-up services then find that work done (the schema check runs once per process) or wait for it;
    /// then it makes the first uses that the first request would otherwise pay for.
    /// Any failure here is left to the host's start, which reports it.
    /// </summary>
    private static async Task WarmUpAsync(IServiceProvider services)
    {
        try
        {
            services.GetService<IStartupValidator>()?.Validate();
            await services.GetRequiredService<IDatabase>().InitializeAsync(CancellationToken.None);
            await services.GetRequiredService<SettingsService>().GetAsync(CancellationToken.None);

            // The JSON contract of the JsonObject that the answers are written from, cached in the host's options.
            var json = services.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
            JsonSerializer.SerializeToUtf8Bytes(new JsonObject { ["code"] = 200 }, json.GetTypeInfo(typeof(JsonObject)));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Reported by the host's start (an invalid option, an unreachable database) or retried by the first request.
        }
    }

    /// <summary>
    /// First uses that need nothing from the host, made on the other core while this one builds it (the builder and
    /// the container are single-threaded work): SQLite's native library and provider, OpenSSL (request log entries and
    /// records get random ids), and ASP.NET's JSON options, whose first instance builds the reflection-based resolver.
    /// A failure here is left to the first real use, which reports it.
    /// </summary>
    private static void PreWarm(bool sqlite)
    {
        try
        {
            if (sqlite)
            {
                using (new SqliteConnection())
                {
                }
            }

            RandomNumberGenerator.GetInt32(2);
            _ = new JsonOptions().SerializerOptions;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Reported where the feature is used.
        }
    }

    private static string DescribeDatabase(BasaltOptions options)
    {
        if (!options.IsPostgres)
        {
            return $"SQLite ({Path.Combine(options.DataDir, "data.db")})";
        }

        var pg = new NpgsqlConnectionStringBuilder(PostgresConnectionString.FromUrl(options.Database!.Trim()));
        return $"PostgreSQL ({pg.Host}:{pg.Port}/{pg.Database})";
    }

    private static string DescribeDurability(BasaltOptions options) => options.IsPostgres
        ? "PostgreSQL synchronous_commit=on (every acknowledged write is on stable storage)"
        : options.Durability == Durability.Fast
            ? "fast (SQLite synchronous=NORMAL: a power cut can lose the last acknowledged writes)"
            : "full (SQLite synchronous=FULL: every acknowledged write is fsynced)";

    private static string DirArgument(CliArguments args)
    {
        var parts = new List<string>();
        if (args.Option("dir") is { } dir)
        {
            parts.Add($" --dir {dir}");
        }

        if (args.Option("db") is not null)
        {
            parts.Add(" --db <same URL>");
        }

        return string.Concat(parts);
    }
}
