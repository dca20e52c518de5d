using System.Text.Json.Nodes;
using Basalt.Common;
using Basalt.Errors;

namespace Basalt.Settings;

/// <summary>The <c>meta</c> settings of §11: the app's name and URL (used in emails) and the sender of every email.</summary>
public sealed record MetaSettings(string AppName, string AppUrl, string SenderName, string SenderAddress, bool HideControls, string AccentColor = "")
{
    public const string Key = "meta";

    public static readonly MetaSettings Default = new("Acme", "http://localhost:8090", "Support", "support@example.com", false);

    public JsonObject ToJson() => new()
    {
        ["appName"] = AppName,
        ["appURL"] = AppUrl,
        ["senderName"] = SenderName,
        ["senderAddress"] = SenderAddress,
        ["hideControls"] = HideControls,
        ["accentColor"] = AccentColor,
    };

    internal static MetaSettings Read(JsonObject json, NestedErrors errors)
    {
        var o = SettingsJson.Section(json, Key, Key, errors);
        var d = Default;
        return new(
            SettingsJson.Text(o, "appName", d.AppName, Key, errors),
            SettingsJson.Text(o, "appURL", d.AppUrl, Key, errors),
            SettingsJson.Text(o, "senderName", d.SenderName, Key, errors),
            SettingsJson.Text(o, "senderAddress", d.SenderAddress, Key, errors),
            SettingsJson.Bool(o, "hideControls", d.HideControls, Key, errors),
            SettingsJson.Text(o, "accentColor", d.AccentColor, Key, errors));
    }

    internal void Validate(NestedErrors errors)
    {
        SettingsRules.Required(errors, "meta.appName", AppName, 255);
        SettingsRules.Required(errors, "meta.appURL", AppUrl, 2048);
        if (AppUrl.Length > 0 && !SettingsRules.IsHttpUrl(AppUrl))
        {
            errors.Add("meta.appURL", "validation_is_url", "Must be a valid URL.");
        }

        SettingsRules.Required(errors, "meta.senderName", SenderName, 255);
        SettingsRules.Required(errors, "meta.senderAddress", SenderAddress, EmailAddress.MaxLength);
        if (SenderAddress.Length > 0 && !EmailAddress.IsValid(SenderAddress))
        {
            errors.Add("meta.senderAddress", "validation_is_email", "Must be a valid email address.");
        }

        if (AccentColor.Length > 50)
        {
            errors.Add("meta.accentColor", "validation_length_out_of_range", "The length must be no more than 50.");
        }
    }
}
