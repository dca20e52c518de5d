using Basalt.Api;
using Basalt.Auth;
using Basalt.Collections;
using Basalt.Logs;
using Basalt.Mail;
using Basalt.Model;
using Basalt.Observability;
using Basalt.OpenApi;
using Basalt.RateLimits;
using Basalt.Realtime;
using Basalt.Records;
using Basalt.Rules;
using Basalt.Settings;
using Basalt.Storage;
using Basalt.Storage.Cluster;
using Basalt.Storage.Tables;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenTelemetry.Trace;

namespace Basalt.Hosting;

/// <summary>Registers Basalt's services in any ASP.NET Core host: <c>builder.Services.AddBasalt()</c>.</summary>
public static class BasaltServiceCollectionExtensions
{
    public static IServiceCollection AddBasalt(this IServiceCollection services, Action<BasaltOptions>? configure = null)
    {
        var options = services.AddOptions<BasaltOptions>().ValidateOnStart();
        if (BasaltTracingServices.OtlpConfigured())
        {
            services.AddBasaltTracing(tracing => tracing.AddOtlpExporter());
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<BasaltOptions>, BasaltOptionsValidator>());
        if (configure is not null)
        {
            options.Configure(configure);

            // Whether to set up the metrics pipeline is decided now; a host binding options otherwise calls AddBasaltMetrics().
            var probe = new BasaltOptions();
            configure(probe);
            if (probe.MetricsOn)
            {
                services.AddBasaltMetrics();
            }
        }

        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(_ => Dashboard.DashboardAssets.Load());
        services.AddSingleton<IDatabase>(sp => DatabaseFactory.Create(sp.GetRequiredService<IOptions<BasaltOptions>>().Value.ToStorage(), sp.GetService<ILoggerFactory>()));
        services.AddSingleton<SchemaMigrator>();
        services.AddHostedService<DatabaseStartup>();
        services.AddHostedService<ClusterBusStartup>();
        services.AddHostedService<LifecycleLog>();
        services.AddSingleton<CollectionCache>();
        services.AddSingleton<ICollectionLookup>(sp => sp.GetRequiredService<CollectionCache>());
        services.AddSingleton<CollectionValidator>();
        services.AddSingleton<CollectionService>();
        services.AddHostedService<CollectionsInitializer>();
        services.AddHostedService<ClusterCacheFollower>();
        services.AddSingleton<CollectionMissCheck>();
        services.ConfigureHttpJsonOptions(json => json.SerializerOptions.TypeInfoResolverChain.Insert(0, ApiJsonContext.Default));
        services.AddExceptionHandler<ApiExceptionHandler>();
        services.AddProblemDetails();
        services.AddBasaltPlatform();
        services.AddSingleton<RuleEvaluator>();
        services.AddBasaltFiles();
        services.AddBasaltImport();
        services.AddSingleton<RecordService>();
        services.AddSingleton<RecordBatchService>();
        services.AddSingleton<RecordTransferService>();
        services.AddSingleton<SqlConsole>();
        services.AddSingleton<ExpressionChecker>();
        services.AddSingleton<SuperuserInstall>();
        services.AddOptions<ApiOptions>().Configure<IOptions<BasaltOptions>, IDatabase>((api, basalt, database) => basalt.Value.ApplyTo(api, database));
        services.AddSingleton<RequestBodyReader>();
        services.AddSingleton<SettingsService>();
        services.AddSingleton<ClusterTables>();

        // Nodes sharing one PostgreSQL count in the database, so a limit holds across them; one node counts in memory.
        services.TryAddSingleton<IRateLimitStore>(sp => sp.GetRequiredService<IDatabase>().Cluster.Shared
            ? new DatabaseRateLimitStore(sp.GetRequiredService<ClusterTables>(), sp.GetRequiredService<TimeProvider>())
            : new MemoryRateLimitStore(sp.GetRequiredService<TimeProvider>()));

        // A timing guard, not a quota: per node and in memory, so a list answer never waits for a round trip to count.
        services.AddSingleton(sp => new ListTimingThrottle(
            new MemoryRateLimitStore(sp.GetRequiredService<TimeProvider>()), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<Mailer>();
        services.AddSingleton<MailOutbox>();
        services.AddSingleton(sp => new LogsDatabase(sp.GetRequiredService<IOptions<BasaltOptions>>().Value.ToStorage(), sp.GetRequiredService<IDatabase>()));
        services.AddSingleton<LogStore>();
        services.AddSingleton<RequestLogWriter>();
        services.AddHostedService(sp => sp.GetRequiredService<RequestLogWriter>());
        services.AddHostedService(sp => sp.GetRequiredService<MailOutbox>());
        services.AddSingleton<EmailTokens>();
        services.AddSingleton<AuthRecordWriter>();
        services.AddSingleton<PasswordResetThrottle>();
        services.AddSingleton<AuthEmailService>();
        services.AddSingleton<ChangeLogStore>();
        services.AddSingleton<RowCountStore>();
        services.AddHostedService<ChangeLogPruner>();
        services.AddSingleton<RealtimeClientRegistry>();
        services.AddSingleton<OpenApiDocuments>();
        services.AddSingleton<ClusterRealtimeBroker>();
        services.AddHostedService(sp => sp.GetRequiredService<ClusterRealtimeBroker>());
        services.TryAddSingleton<IRealtimeBroker>(sp => sp.GetRequiredService<ClusterRealtimeBroker>());
        services.AddSingleton<RecordEventFanout>();
        services.AddSingleton<RealtimeReplay>();
        services.AddSingleton<RealtimeDispatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<RealtimeDispatcher>());
        services.AddHostedService<RealtimeSweeper>();
        services.AddBasaltBackupsAndCrons();
        services.AddBasaltMigrations();
        services.AddSingleton<ClusterHeartbeat>();
        services.AddHostedService(sp => sp.GetRequiredService<ClusterHeartbeat>());
        services.AddSingleton<ClusterView>();
        return services;
    }
}
