using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Basalt.Errors;

namespace Basalt.Settings;

/// <summary>The <c>backups</c> settings of §11: the automatic backup schedule, how many to keep, and where (stored and returned as is).</summary>
public sealed partial record BackupsSettings(string Cron, int CronMaxKeep, S3Settings S3)
{
    public const string Key = "backups";

    public static readonly BackupsSettings Default = new("", 3, S3Settings.Default);

    private static readonly string[] Macros = ["@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly"];

    public JsonObject ToJson(bool includeSecrets) => new()
    {
        ["cron"] = Cron,
        ["cronMaxKeep"] = CronMaxKeep,
        ["s3"] = S3.ToJson(includeSecrets),
    };

    internal static BackupsSettings Read(JsonObject json, NestedErrors errors)
    {
        var o = SettingsJson.Section(json, Key, Key, errors);
        var d = Default;
        return new(
            SettingsJson.Text(o, "cron", d.Cron, Key, errors),
            SettingsJson.Int(o, "cronMaxKeep", d.CronMaxKeep, Key, errors),
            S3Settings.Read(o, Key + ".s3", errors));
    }

    internal void Validate(NestedErrors errors)
    {
        if (Cron.Length > 0)
        {
            if (!IsCron(Cron))
            {
                errors.Add("backups.cron", "validation_invalid_cron", "Invalid cron expression - must be a valid macro or to have exactly 5 space separated segments.");
            }

            if (CronMaxKeep < 1)
            {
                errors.Add("backups.cronMaxKeep", "validation_required", "Cannot be blank.");
            }
        }
        else
        {
            SettingsRules.Min(errors, "backups.cronMaxKeep", CronMaxKeep, 0);
        }

        S3.Validate("backups.s3", errors);
    }

    private static bool IsCron(string value)
    {
        if (Macros.Contains(value, StringComparer.Ordinal))
        {
            return true;
        }

        // The shape first (PocketBase's message names it), then Cronos, which schedules it, for the ranges (minute 0-59, …).
        var segments = value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return segments.Length == 5 && segments.All(s => CronSegment().IsMatch(s)) &&
               Cronos.CronExpression.TryParse(value, Cronos.CronFormat.Standard, out _);
    }

    [GeneratedRegex(@"^(\*|\d+(-\d+)?)(/\d+)?(,(\*|\d+(-\d+)?)(/\d+)?)*$")]
    private static partial Regex CronSegment();
}
