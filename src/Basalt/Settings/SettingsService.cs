using System.Text.Json.Nodes;
using Basalt.Common;
using Basalt.Storage;
using Basalt.Storage.Cluster;
using Microsoft.Extensions.Logging;

namespace Basalt.Settings;

/// <summary>
/// Loads and saves <see cref="AppSettings"/> as JSON in <c>_params</c> (key <c>settings</c>). The settings are read for
/// every email, so they are cached; every change goes through this service, which refreshes the cache.
/// </summary>
public sealed class SettingsService(IDatabase database, TimeProvider time, ILogger<SettingsService> logger)
{
    public const string ParamKey = "settings";

    private volatile AppSettings? _cached;
    private volatile string? _storedJson;
    private readonly Lock _gate = new();
    private long _version;

    public async Task<AppSettings> GetAsync(CancellationToken cancellationToken)
    {
        if (_cached is { } cached)
        {
            return cached;
        }

        var json = await database.ReadAsync((c, ct) => SystemTables.GetParamAsync(c, null, ParamKey, ct), cancellationToken);
        var loaded = Parse(json);
        _storedJson = json;
        _cached = loaded;
        return loaded;
    }

    /// <summary>Forgets the cached settings, so the next read loads them again (after a restore replaced them under this service).</summary>
    public void Reload() => _cached = null;

    /// <summary>
    /// Reloads the settings when what the database holds differs from what was loaded (another node changed them);
    /// true when it did. A change that reaches this node with no signal is found by the periodic resync.
    /// </summary>
    public async Task<bool> ReloadIfChangedAsync(CancellationToken cancellationToken)
    {
        var version = Volatile.Read(ref _version);
        var json = await database.ReadAsync((c, ct) => SystemTables.GetParamAsync(c, null, ParamKey, ct), cancellationToken);
        if (_cached is not null && string.Equals(json, _storedJson, StringComparison.Ordinal))
        {
            return false;
        }

        var parsed = Parse(json);
        lock (_gate)
        {
            // A patch of this node that committed meanwhile is newer than what was read: keep it.
            if (_version != version)
            {
                return false;
            }

            _storedJson = json;
            _cached = parsed;
        }

        return true;
    }

    /// <summary>
    /// Applies a partial settings body (objects merge key by key, arrays are replaced). A blank or missing secret
    /// (<see cref="AppSettings.SecretPaths"/>) keeps the stored one, because clients only ever see it blank and send it back that way. The stored value is read inside the write
    /// unit so two concurrent patches cannot lose each other's changes.
    /// </summary>
    public async Task<AppSettings> PatchAsync(JsonObject patch, CancellationToken cancellationToken)
    {
        var now = DateFormat.Format(time.GetUtcNow());
        var (next, changed) = await database.WriteAsync(
            async (c, tx, ct) =>
            {
                var current = Parse(await SystemTables.GetParamAsync(c, tx, ParamKey, ct));
                var stored = current.ToJson(includeSecrets: true);
                var merged = JsonMerge.Merge(current.ToJson(includeSecrets: true), patch);
                foreach (var path in AppSettings.SecretPaths)
                {
                    KeepSecret(stored, merged, path);
                }

                var updated = AppSettings.FromJson(merged);
                updated.Validate();
                var json = updated.ToJson(includeSecrets: true);
                await SystemTables.SetParamAsync(c, tx, database.Dialect, ParamKey, json.ToJsonString(), now, ct);
                return (updated, ChangedSections(stored, json));
            },
            cancellationToken);
        lock (_gate)
        {
            _version++;
            _cached = next;

            // The stored text is what the database gives back (jsonb normalizes it): the next resync reads it once.
            _storedJson = null;
        }

        if (changed.Count > 0)
        {
            Log.SettingsChanged(logger, string.Join(", ", changed));
            await database.Cluster.SendAsync(ClusterChannel.Caches, ClusterCaches.Settings, CancellationToken.None);
        }

        return next;
    }

    /// <summary>The top-level sections (<c>meta</c>, <c>smtp</c>, …) whose stored JSON differs, by name only.</summary>
    private static List<string> ChangedSections(JsonObject before, JsonObject after) =>
        after.Select(p => p.Key).Union(before.Select(p => p.Key), StringComparer.Ordinal)
            .Where(key => !JsonNode.DeepEquals(before[key], after[key]))
            .ToList();

    private static AppSettings Parse(string? json) =>
        json is not null && JsonNode.Parse(json) is JsonObject stored ? AppSettings.FromJson(stored) : AppSettings.Default;

    private static void KeepSecret(JsonObject stored, JsonObject merged, string[] path)
    {
        JsonNode? from = stored;
        JsonNode? to = merged;
        foreach (var key in path[..^1])
        {
            from = from?[key];
            to = to is JsonObject o ? o[key] : null;
        }

        if (to is JsonObject target && IsBlank(target[path[^1]]))
        {
            target[path[^1]] = from?[path[^1]]?.DeepClone();
        }
    }

    private static bool IsBlank(JsonNode? node) =>
        node is null || (node is JsonValue v && v.TryGetValue<string>(out var s) && s.Length == 0);
}
