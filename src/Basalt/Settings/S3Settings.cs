using System.Text.Json.Nodes;
using Basalt.Errors;

namespace Basalt.Settings;

/// <summary>
/// An S3-compatible storage of §11 (<c>s3</c> for files, <c>backups.s3</c> for backups). Basalt stores and returns it;
/// <see cref="Secret"/> is write-only like the SMTP password.
/// </summary>
public sealed record S3Settings(
    bool Enabled, string Bucket, string Region, string Endpoint, string AccessKey, string Secret, bool ForcePathStyle)
{
    public const string Key = "s3";

    public static readonly S3Settings Default = new(false, "", "", "", "", "", false);

    public JsonObject ToJson(bool includeSecrets) => new()
    {
        ["enabled"] = Enabled,
        ["bucket"] = Bucket,
        ["region"] = Region,
        ["endpoint"] = Endpoint,
        ["accessKey"] = AccessKey,
        ["secret"] = includeSecrets ? Secret : "",
        ["forcePathStyle"] = ForcePathStyle,
    };

    internal static S3Settings Read(JsonObject parent, string path, NestedErrors errors)
    {
        var o = SettingsJson.Section(parent, Key, path, errors);
        var d = Default;
        return new(
            SettingsJson.Bool(o, "enabled", d.Enabled, path, errors),
            SettingsJson.Text(o, "bucket", d.Bucket, path, errors),
            SettingsJson.Text(o, "region", d.Region, path, errors),
            SettingsJson.Text(o, "endpoint", d.Endpoint, path, errors),
            SettingsJson.Text(o, "accessKey", d.AccessKey, path, errors),
            SettingsJson.Text(o, "secret", d.Secret, path, errors),
            SettingsJson.Bool(o, "forcePathStyle", d.ForcePathStyle, path, errors));
    }

    internal void Validate(string path, NestedErrors errors)
    {
        if (!Enabled)
        {
            return;
        }

        SettingsRules.Required(errors, path + ".endpoint", Endpoint, 2048);
        if (Endpoint.Length > 0 && !SettingsRules.IsHttpUrl(Endpoint))
        {
            errors.Add(path + ".endpoint", "validation_is_url", "Must be a valid URL.");
        }

        SettingsRules.Required(errors, path + ".bucket", Bucket, 255);
        SettingsRules.Required(errors, path + ".region", Region, 255);
        SettingsRules.Required(errors, path + ".accessKey", AccessKey, 1024);
        SettingsRules.Required(errors, path + ".secret", Secret, 1024);
    }
}
