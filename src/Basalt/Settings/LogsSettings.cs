using System.Text.Json.Nodes;
using Basalt.Errors;

namespace Basalt.Settings;

/// <summary>The <c>logs</c> settings of §11 (request log retention and content), stored and returned as is.</summary>
public sealed record LogsSettings(int MaxDays, int MinLevel, bool LogIp, bool LogAuthId)
{
    public const string Key = "logs";

    public static readonly LogsSettings Default = new(5, 0, true, false);

    public JsonObject ToJson() => new()
    {
        ["maxDays"] = MaxDays,
        ["minLevel"] = MinLevel,
        ["logIP"] = LogIp,
        ["logAuthId"] = LogAuthId,
    };

    internal static LogsSettings Read(JsonObject json, NestedErrors errors)
    {
        var o = SettingsJson.Section(json, Key, Key, errors);
        var d = Default;
        return new(
            SettingsJson.Int(o, "maxDays", d.MaxDays, Key, errors),
            SettingsJson.Int(o, "minLevel", d.MinLevel, Key, errors),
            SettingsJson.Bool(o, "logIP", d.LogIp, Key, errors),
            SettingsJson.Bool(o, "logAuthId", d.LogAuthId, Key, errors));
    }

    internal void Validate(NestedErrors errors) => SettingsRules.Min(errors, "logs.maxDays", MaxDays, 0);
}
