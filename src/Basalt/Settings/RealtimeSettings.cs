using System.Text.Json.Nodes;
using Basalt.Errors;

namespace Basalt.Settings;

/// <summary>
/// The <c>realtime</c> settings, Basalt's own (PocketBase has none): how long the change log keeps entries for clients
/// that resume (docs/realtime.md), by age and by count; an entry goes when either limit is passed.
/// </summary>
public sealed record RealtimeSettings(int RetentionMinutes, int RetentionEvents)
{
    public const string Key = "realtime";

    /// <summary>A year: the log is for clients that reconnect, and an age past the calendar's start would not compute.</summary>
    public const int MaxRetentionMinutes = 525_600;

    public static readonly RealtimeSettings Default = new(10, 100_000);

    public JsonObject ToJson() => new()
    {
        ["retentionMinutes"] = RetentionMinutes,
        ["retentionEvents"] = RetentionEvents,
    };

    internal static RealtimeSettings Read(JsonObject json, NestedErrors errors)
    {
        var o = SettingsJson.Section(json, Key, Key, errors);
        var d = Default;
        return new(
            SettingsJson.Int(o, "retentionMinutes", d.RetentionMinutes, Key, errors),
            SettingsJson.Int(o, "retentionEvents", d.RetentionEvents, Key, errors));
    }

    internal void Validate(NestedErrors errors)
    {
        SettingsRules.Min(errors, "realtime.retentionMinutes", RetentionMinutes, 1);
        SettingsRules.Max(errors, "realtime.retentionMinutes", RetentionMinutes, MaxRetentionMinutes);
        SettingsRules.Min(errors, "realtime.retentionEvents", RetentionEvents, 1);
    }
}
