using Basalt.Storage.Postgres;
using Microsoft.Extensions.Options;

namespace Basalt.Hosting;

/// <summary>
/// Checks <see cref="BasaltOptions"/> when the host starts (<c>ValidateOnStart</c>), so a typo in a path, a database URL
/// or an origin stops the server with a message naming the option instead of surfacing on the first request.
/// </summary>
public sealed class BasaltOptionsValidator : IValidateOptions<BasaltOptions>
{
    public ValidateOptionsResult Validate(string? name, BasaltOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.DataDir) || options.DataDir.IndexOfAny(Path.GetInvalidPathChars()) >= 0)
        {
            failures.Add($"DataDir must be a folder path, not \"{options.DataDir}\".");
        }

        if (!Enum.IsDefined(options.Durability))
        {
            failures.Add($"Durability must be Full or Fast, not {(int)options.Durability}.");
        }

        if (options.IsPostgres && !IsConnectionString(options.Database!))
        {
            failures.Add("Database must be a postgres:// URL or an Npgsql connection string.");
        }

        if (options.MaxBodySize <= 0)
        {
            failures.Add($"MaxBodySize must be positive, not {options.MaxBodySize}.");
        }

        if (options.ReadTimeout <= TimeSpan.Zero || options.ReadTimeout > Storage.StorageOptions.MaxReadTimeout)
        {
            failures.Add($"ReadTimeout must be above zero and at most a day, not {options.ReadTimeout}.");
        }

        if (options.MaxConcurrentReadsPerClient <= 0)
        {
            failures.Add($"MaxConcurrentReadsPerClient must be a positive whole number, not {options.MaxConcurrentReadsPerClient}.");
        }

        if (options.MaxConcurrentClientReads <= 0)
        {
            failures.Add($"MaxConcurrentClientReads must be a positive whole number, not {options.MaxConcurrentClientReads}.");
        }

        if (options.SqlTimeout <= TimeSpan.Zero || options.ImportMaxBodySize <= 0 || options.ImportMaxRows <= 0)
        {
            failures.Add("SqlTimeout, ImportMaxBodySize and ImportMaxRows must be positive.");
        }

        if (options.RealtimeIdleTimeout <= TimeSpan.Zero || options.RealtimeMaxLifetime <= TimeSpan.Zero)
        {
            failures.Add("RealtimeIdleTimeout and RealtimeMaxLifetime must be positive.");
        }

        if (!string.IsNullOrWhiteSpace(options.MetricsUrl) && !IsListenUrl(options.MetricsUrl))
        {
            failures.Add($"MetricsUrl: \"{options.MetricsUrl}\" is not http://host:port (no path).");
        }

        foreach (var origin in options.Origins)
        {
            if (origin != "*" && !IsOrigin(origin))
            {
                failures.Add($"Origins: \"{origin}\" is not \"*\" or an origin such as https://app.example.com (scheme, host and optional port, no path).");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static bool IsOrigin(string origin) =>
        Uri.TryCreate(origin, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
        && uri.AbsolutePath == "/" && !origin.EndsWith('/') && uri.Query.Length == 0 && uri.Fragment.Length == 0 && uri.UserInfo.Length == 0;

    private static bool IsListenUrl(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttp
        && uri.AbsolutePath == "/" && uri.Query.Length == 0 && uri.Fragment.Length == 0 && uri.UserInfo.Length == 0;

    private static bool IsConnectionString(string database)
    {
        try
        {
            _ = new Npgsql.NpgsqlConnectionStringBuilder(PostgresConnectionString.FromUrl(database.Trim()));
            return true;
        }
        catch (Exception e) when (e is ArgumentException or FormatException or UriFormatException or KeyNotFoundException)
        {
            return false;
        }
    }
}
