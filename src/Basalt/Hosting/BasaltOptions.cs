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

    public bool IsPostgres => !string.IsNullOrWhiteSpace(Database);
}
