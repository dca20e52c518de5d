using System.Text.Json.Nodes;
using Basalt.Errors;

namespace Basalt.Settings;

/// <summary>
/// The whole settings document of §11 with its JSON form and validation. Sections Basalt does not act on yet (s3,
/// backups, batch, logs) are still validated, stored and returned, so a client's round trip never loses them.
/// </summary>
public sealed record AppSettings(
    MetaSettings Meta,
    SmtpSettings Smtp,
    S3Settings S3,
    BackupsSettings Backups,
    BatchSettings Batch,
    RateLimitSettings RateLimits,
    TrustedProxySettings TrustedProxy,
    LogsSettings Logs,
    IReadOnlyList<string> SuperuserIps,
    RealtimeSettings Realtime)
{
    public const string FailedToUpdate = "An error occurred while submitting the form.";

    public const string SuperuserIpsKey = "superuserIPs";

    /// <summary>The write-only members: blank on every read, and a blank one in a PATCH keeps the stored value.</summary>
    public static readonly IReadOnlyList<string[]> SecretPaths = [["smtp", "password"], ["s3", "secret"], ["backups", "s3", "secret"]];

    public static readonly AppSettings Default = new(
        MetaSettings.Default,
        SmtpSettings.Default,
        S3Settings.Default,
        BackupsSettings.Default,
        BatchSettings.Default,
        RateLimitSettings.Default,
        TrustedProxySettings.Default,
        LogsSettings.Default,
        [],
        RealtimeSettings.Default);

    /// <summary>The wire (or stored) JSON; secrets are blanked unless <paramref name="includeSecrets"/> (storage only).</summary>
    public JsonObject ToJson(bool includeSecrets) => new()
    {
        [MetaSettings.Key] = Meta.ToJson(),
        [SmtpSettings.Key] = Smtp.ToJson(includeSecrets),
        [S3Settings.Key] = S3.ToJson(includeSecrets),
        [BackupsSettings.Key] = Backups.ToJson(includeSecrets),
        [BatchSettings.Key] = Batch.ToJson(),
        [RateLimitSettings.Key] = RateLimits.ToJson(),
        [TrustedProxySettings.Key] = TrustedProxy.ToJson(),
        [LogsSettings.Key] = Logs.ToJson(),
        [SuperuserIpsKey] = SettingsJson.ToArray(SuperuserIps),
        [RealtimeSettings.Key] = Realtime.ToJson(),
    };

    /// <summary>
    /// Reads settings JSON; a missing member keeps its default, a member of the wrong type is a 400 naming its path
    /// (<c>{rateLimits: {rules: {0: {duration: {code, message}}}}}</c>). Unknown members are ignored, as in PocketBase.
    /// </summary>
    public static AppSettings FromJson(JsonObject json)
    {
        var errors = new NestedErrors();
        var settings = new AppSettings(
            MetaSettings.Read(json, errors),
            SmtpSettings.Read(json, errors),
            S3Settings.Read(json, S3Settings.Key, errors),
            BackupsSettings.Read(json, errors),
            BatchSettings.Read(json, errors),
            RateLimitSettings.Read(json, errors),
            TrustedProxySettings.Read(json, errors),
            LogsSettings.Read(json, errors),
            SettingsJson.Strings(json, SuperuserIpsKey, Default.SuperuserIps, "", errors),
            RealtimeSettings.Read(json, errors));
        errors.ThrowIfAny(FailedToUpdate);
        return settings;
    }

    /// <summary>Throws a 400 naming every invalid field by its path, nested as <c>{meta: {appURL: {code, message}}}</c>.</summary>
    public void Validate()
    {
        var errors = new NestedErrors();
        Meta.Validate(errors);
        Smtp.Validate(errors);
        S3.Validate(S3Settings.Key, errors);
        Backups.Validate(errors);
        Batch.Validate(errors);
        RateLimits.Validate(errors);
        TrustedProxy.Validate(errors);
        Logs.Validate(errors);
        SettingsRules.IpRanges(errors, SuperuserIpsKey, SuperuserIps);
        Realtime.Validate(errors);
        errors.ThrowIfAny(FailedToUpdate);
    }
}
