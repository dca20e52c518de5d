using System.Text.Json.Nodes;
using Basalt.Errors;

namespace Basalt.Settings;

/// <summary>The <c>batch</c> settings of §10/§11 (off by default; a zero <see cref="MaxBodySize"/> means 128 MiB).</summary>
public sealed record BatchSettings(bool Enabled, int MaxRequests, long Timeout, long MaxBodySize)
{
    public const string Key = "batch";

    public static readonly BatchSettings Default = new(false, 50, 3, 0);

    public JsonObject ToJson() => new()
    {
        ["enabled"] = Enabled,
        ["maxRequests"] = MaxRequests,
        ["timeout"] = Timeout,
        ["maxBodySize"] = MaxBodySize,
    };

    internal static BatchSettings Read(JsonObject json, NestedErrors errors)
    {
        var o = SettingsJson.Section(json, Key, Key, errors);
        var d = Default;
        return new(
            SettingsJson.Bool(o, "enabled", d.Enabled, Key, errors),
            SettingsJson.Int(o, "maxRequests", d.MaxRequests, Key, errors),
            SettingsJson.Long(o, "timeout", d.Timeout, Key, errors),
            SettingsJson.Long(o, "maxBodySize", d.MaxBodySize, Key, errors));
    }

    internal void Validate(NestedErrors errors)
    {
        if (Enabled && MaxRequests == 0)
        {
            errors.Add("batch.maxRequests", "validation_required", "Cannot be blank.");
        }

        if (Enabled && Timeout == 0)
        {
            errors.Add("batch.timeout", "validation_required", "Cannot be blank.");
        }

        SettingsRules.Min(errors, "batch.maxRequests", MaxRequests, 0);
        SettingsRules.Min(errors, "batch.timeout", Timeout, 0);
        SettingsRules.Min(errors, "batch.maxBodySize", MaxBodySize, 0);
    }
}
