using Basalt.Hosting;
using Basalt.Storage;

namespace Basalt.Cli;

/// <summary>
/// The parsed command line: the command words, positional arguments and the options shared by every command.
/// Each option falls back to its <c>BASALT_*</c> environment variable, then to the default.
/// </summary>
internal sealed class CliArguments
{
    public const string DefaultHttp = "127.0.0.1:8090";
    public const string DefaultDir = "basalt_data";

    private static readonly Dictionary<string, string> EnvFallbacks = new(StringComparer.Ordinal)
    {
        ["http"] = "BASALT_HTTP",
        ["dir"] = "BASALT_DIR",
        ["db"] = "BASALT_DB",
        ["durability"] = "BASALT_DURABILITY",
        ["origins"] = "BASALT_ORIGINS",
        ["read-timeout"] = "BASALT_READ_TIMEOUT",
        ["reads-per-client"] = "BASALT_READS_PER_CLIENT",
        ["client-reads"] = "BASALT_CLIENT_READS",
        ["metrics"] = "BASALT_METRICS",
        ["metrics-http"] = "BASALT_METRICS_HTTP",
        ["log-level"] = "BASALT_LOG_LEVEL",
        ["openapi"] = "BASALT_OPENAPI",
        ["migrations"] = "BASALT_MIGRATIONS",
        ["automigrate"] = "BASALT_AUTOMIGRATE",
        ["migrate"] = "BASALT_MIGRATE",
    };

    /// <summary>Options that take no value.</summary>
    private static readonly HashSet<string> Flags = new(StringComparer.Ordinal) { "dry-run" };

    /// <summary>On/off options that may stand alone (<c>--automigrate</c> is <c>--automigrate on</c>).</summary>
    private static readonly HashSet<string> OnOffFlags = new(StringComparer.Ordinal) { "automigrate", "migrate" };

    private readonly Dictionary<string, string> _options = new(StringComparer.Ordinal);
    private readonly HashSet<string> _flags = new(StringComparer.Ordinal);

    public List<string> Positional { get; } = [];

    public bool Help { get; private set; }

    public string Http => Option("http") ?? DefaultHttp;

    public static CliArguments Parse(IReadOnlyList<string> args)
    {
        var parsed = new CliArguments();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg is "-h" or "--help" or "help")
            {
                parsed.Help = true;
            }
            else if (arg.StartsWith("--", StringComparison.Ordinal) && Flags.Contains(arg[2..]))
            {
                parsed._flags.Add(arg[2..]);
            }
            else if (arg.StartsWith("--", StringComparison.Ordinal))
            {
                var name = arg[2..];
                string value;
                if (name.IndexOf('=', StringComparison.Ordinal) is var eq and >= 0)
                {
                    value = name[(eq + 1)..];
                    name = name[..eq];
                }
                else if (OnOffFlags.Contains(name) && (i + 1 >= args.Count || OnOffValue(args[i + 1]) is null))
                {
                    value = "on";
                }
                else if (i + 1 < args.Count)
                {
                    value = args[++i];
                }
                else
                {
                    throw new CliUsageException($"--{name} needs a value.");
                }

                if (!EnvFallbacks.ContainsKey(name))
                {
                    throw new CliUsageException($"Unknown option --{name}.");
                }

                parsed._options[name] = value;
            }
            else
            {
                parsed.Positional.Add(arg);
            }
        }

        return parsed;
    }

    /// <summary>Whether the flag <c>--name</c> (one that takes no value) was given.</summary>
    public bool Flag(string name) => _flags.Contains(name);

    /// <summary>The value of <c>--name</c>, else its environment variable, else null.</summary>
    public string? Option(string name)
    {
        if (_options.TryGetValue(name, out var value))
        {
            return value;
        }

        var env = Environment.GetEnvironmentVariable(EnvFallbacks[name]);
        return string.IsNullOrWhiteSpace(env) ? null : env;
    }

    /// <summary>Copies the storage and HTTP options into <paramref name="options"/>, validating them.</summary>
    public void Apply(BasaltOptions options)
    {
        options.DataDir = Path.GetFullPath(Option("dir") ?? DefaultDir);
        options.Database = Option("db");
        options.Durability = (Option("durability") ?? "full").ToLowerInvariant() switch
        {
            "full" => Durability.Full,
            "fast" => Durability.Fast,
            var other => throw new CliUsageException($"--durability must be \"full\" or \"fast\", not \"{other}\"."),
        };
        if (Option("read-timeout") is { } readTimeout)
        {
            options.ReadTimeout = double.TryParse(readTimeout, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var seconds) && seconds > 0 && seconds <= StorageOptions.MaxReadTimeout.TotalSeconds
                ? TimeSpan.FromSeconds(seconds)
                : throw new CliUsageException($"--read-timeout takes a number of seconds above 0 and at most {StorageOptions.MaxReadTimeout.TotalSeconds:0} (a day), not \"{readTimeout}\".");
        }

        options.MaxConcurrentReadsPerClient = PositiveCount("reads-per-client") ?? options.MaxConcurrentReadsPerClient;
        options.MaxConcurrentClientReads = PositiveCount("client-reads") ?? options.MaxConcurrentClientReads;
        options.Metrics = (Option("metrics") ?? "off").ToLowerInvariant() switch
        {
            "on" or "true" or "1" => true,
            "off" or "false" or "0" => false,
            var other => throw new CliUsageException($"--metrics must be \"on\" or \"off\", not \"{other}\"."),
        };
        options.PublicOpenApi = (Option("openapi") ?? "superusers").ToLowerInvariant() switch
        {
            "public" => true,
            "superusers" => false,
            var other => throw new CliUsageException($"--openapi must be \"superusers\" or \"public\", not \"{other}\"."),
        };
        if (Option("metrics-http") is { } metricsHttp)
        {
            options.MetricsUrl = ToUrl("metrics-http", metricsHttp);
        }

        options.MigrationsDir = Option("migrations") is { } migrations ? Path.GetFullPath(migrations) : null;
        options.Automigrate = OnOff("automigrate", false);

        if (Option("origins") is { } origins)
        {
            options.Origins.Clear();
            foreach (var origin in origins.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                options.Origins.Add(origin);
            }
        }
    }

    /// <summary>Whether <c>serve</c> applies the pending migrations as it starts, from <c>--migrate</c>: on by default.</summary>
    public bool MigrateAtStart => OnOff("migrate", true);

    /// <summary>The <c>http://host:port</c> Kestrel listens on, from <c>--http ADDR:PORT</c>.</summary>
    public string ListenUrl() => ToUrl("http", Http);

    /// <summary>How much Basalt logs, from <c>--log-level</c>: info by default, which keeps to start, stop, schema and settings changes, and trouble.</summary>
    public LogLevel LogLevel => (Option("log-level") ?? "info").ToLowerInvariant() switch
    {
        "debug" => LogLevel.Debug,
        "info" => LogLevel.Information,
        "warn" or "warning" => LogLevel.Warning,
        "error" => LogLevel.Error,
        var other => throw new CliUsageException($"--log-level must be debug, info, warn or error, not \"{other}\"."),
    };

    /// <summary>A count option: null when unset, else a whole number above 0 (given as the flag or its environment variable).</summary>
    private int? PositiveCount(string option) => Option(option) is not { } text ? null
        : int.TryParse(text.Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var count) && count > 0
            ? count
            : throw new CliUsageException($"--{option} ({EnvFallbacks[option]}) takes a whole number above 0, not \"{text}\".");

    private bool OnOff(string option, bool fallback) => Option(option) is not { } text ? fallback
        : OnOffValue(text) ?? throw new CliUsageException($"--{option} must be \"on\" or \"off\", not \"{text}\".");

    private static bool? OnOffValue(string text) => text.ToLowerInvariant() switch
    {
        "on" or "true" or "1" => true,
        "off" or "false" or "0" => false,
        _ => null,
    };

    /// <summary><c>http://host:port</c> from an <c>ADDR:PORT</c> option (<c>:PORT</c> alone listens on every interface).</summary>
    private static string ToUrl(string option, string value)
    {
        var http = value.Trim();
        if (http.Contains("://", StringComparison.Ordinal))
        {
            throw new CliUsageException($"--{option} takes ADDR:PORT (e.g. 127.0.0.1:8090), not a URL: \"{http}\".");
        }

        var colon = http.LastIndexOf(':');
        if (colon < 0 || !int.TryParse(http[(colon + 1)..], out var port) || port is < 0 or > 65535)
        {
            throw new CliUsageException($"--{option} takes ADDR:PORT (e.g. 127.0.0.1:8090), not \"{http}\".");
        }

        var host = colon == 0 ? "0.0.0.0" : http[..colon];
        return $"http://{host}:{port}";
    }
}
