using System.Text.Json.Nodes;
using Basalt.Errors;

namespace Basalt.Settings;

/// <summary>
/// The <c>smtp</c> settings of §11. <see cref="Password"/> is write-only: it is stored but never serialised to a client.
/// <see cref="Tls"/> means implicit TLS on connect (port 465); otherwise STARTTLS is used when the server offers it.
/// </summary>
public sealed record SmtpSettings(
    bool Enabled, string Host, int Port, string Username, string Password, string AuthMethod, bool Tls, string LocalName)
{
    public const string Key = "smtp";
    public const string Plain = "PLAIN";
    public const string Login = "LOGIN";

    public static readonly SmtpSettings Default = new(false, "smtp.example.com", 587, "", "", Plain, false, "");

    public JsonObject ToJson(bool includeSecrets) => new()
    {
        ["enabled"] = Enabled,
        ["host"] = Host,
        ["port"] = Port,
        ["username"] = Username,
        ["password"] = includeSecrets ? Password : "",
        ["authMethod"] = AuthMethod,
        ["tls"] = Tls,
        ["localName"] = LocalName,
    };

    internal static SmtpSettings Read(JsonObject json, NestedErrors errors)
    {
        var o = SettingsJson.Section(json, Key, Key, errors);
        var d = Default;
        return new(
            SettingsJson.Bool(o, "enabled", d.Enabled, Key, errors),
            SettingsJson.Text(o, "host", d.Host, Key, errors),
            SettingsJson.Int(o, "port", d.Port, Key, errors),
            SettingsJson.Text(o, "username", d.Username, Key, errors),
            SettingsJson.Text(o, "password", d.Password, Key, errors),
            SettingsJson.Text(o, "authMethod", d.AuthMethod, Key, errors),
            SettingsJson.Bool(o, "tls", d.Tls, Key, errors),
            SettingsJson.Text(o, "localName", d.LocalName, Key, errors));
    }

    internal void Validate(NestedErrors errors)
    {
        if (Enabled)
        {
            SettingsRules.Required(errors, "smtp.host", Host, 255);
            if (Port is < 1 or > 65535)
            {
                errors.Add("smtp.port", "validation_required", "Must be a port between 1 and 65535.");
            }
        }

        if (AuthMethod is not (Plain or Login or ""))
        {
            errors.Add("smtp.authMethod", "validation_in_invalid", "Must be PLAIN or LOGIN.");
        }

        if (Host.Length > 255 || Host.Any(char.IsWhiteSpace))
        {
            errors.Add("smtp.host", "validation_is_host", "Must be a valid host name.");
        }

        if (LocalName.Length > 255 || LocalName.Any(char.IsWhiteSpace))
        {
            errors.Add("smtp.localName", "validation_is_domain", "Must be a valid domain.");
        }
    }
}
