namespace Basalt.Storage;

/// <summary>What the storage layer needs from the host's options: where the data lives, which database, how durable, how long a read may run.</summary>
public sealed record StorageOptions
{
    public static readonly TimeSpan DefaultReadTimeout = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The longest read deadline a host may set: a day is far past any read worth waiting for, and the timers the
    /// deadline arms refuse anything beyond about 49 days, which would turn a waiting read into a 500.
    /// </summary>
    public static readonly TimeSpan MaxReadTimeout = TimeSpan.FromDays(1);

    /// <summary>The data folder of the SQLite files.</summary>
    public required string DataDir { get; init; }

    /// <summary>A <c>postgres://</c> URL (or Npgsql connection string); null or empty means SQLite.</summary>
    public string? Database { get; init; }

    public Durability Durability { get; init; } = Durability.Full;

    public TimeSpan ReadTimeout { get; init; } = DefaultReadTimeout;

    public bool IsPostgres => !string.IsNullOrWhiteSpace(Database);
}
