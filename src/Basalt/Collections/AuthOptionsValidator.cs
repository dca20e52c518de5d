using System.Text.Json.Nodes;
using Basalt.Common;
using Basalt.Errors;
using Basalt.Model;

namespace Basalt.Collections;

/// <summary>
/// The basic checks on an auth collection's options: token durations and secrets, manageRule, identity fields, and the
/// rules inside the options. Changing authRule rotates the auth token secret, which signs every user out.
/// </summary>
internal static class AuthOptionsValidator
{
    private static readonly string[] AuthMethodKeys = ["passwordAuth", "otp", "oauth2"];

    public static void Check(Collection candidate, Collection? previous, NestedErrors errors, Action<string, string?> checkRule, bool secretsOptional = false)
    {
        var options = candidate.Options;
        foreach (var key in AuthOptions.TokenKeys)
        {
            var token = options[key] as JsonObject ?? [];
            var duration = Number(token["duration"]);
            if (duration is null || duration < AuthOptions.MinDuration || duration > AuthOptions.MaxDuration || duration != Math.Floor(duration.Value))
            {
                errors.Add(key + ".duration", "validation_out_of_range", $"Must be a whole number between {AuthOptions.MinDuration} and {AuthOptions.MaxDuration}.");
            }

            var secret = String(token["secret"]) ?? "";
            if (secret.Length is < 30 or > 255)
            {
                errors.Add(key + ".secret", "validation_length_out_of_range", "The length must be between 30 and 255.");
            }
        }

        foreach (var key in new[] { "mfa", "otp" })
        {
            if (Number((options[key] as JsonObject)?["duration"]) is { } d && (d < AuthOptions.MinDuration || d > AuthOptions.MaxDuration))
            {
                errors.Add(key + ".duration", "validation_out_of_range", $"Must be between {AuthOptions.MinDuration} and {AuthOptions.MaxDuration}.");
            }
        }

        if (Number((options["otp"] as JsonObject)?["length"]) is { } length && length is < 4 or > 32)
        {
            errors.Add("otp.length", "validation_out_of_range", "Must be between 4 and 32.");
        }

        if (Enabled(options, "mfa"))
        {
            var methods = AuthMethodKeys.Count(key => Enabled(options, key));
            if (methods < 2)
            {
                errors.Add("mfa.enabled", "validation_mfa_not_enough_auth_methods", "MFA requires at least 2 auth methods to be enabled.");
            }
        }

        if (options.TryGetPropertyValue("manageRule", out var manage) && manage is not null && (String(manage) ?? "").Trim().Length == 0)
        {
            errors.Add("manageRule", "validation_required", "Must be null or a non-empty rule.");
        }

        var identityFields = (options["passwordAuth"] as JsonObject)?["identityFields"] as JsonArray ?? [];
        for (var i = 0; i < identityFields.Count; i++)
        {
            if (String(identityFields[i]) is not { } name || candidate.FindField(name) is null)
            {
                errors.Add("passwordAuth.identityFields." + i, "validation_missing_field", "Must be the name of an existing field.");
            }
        }

        OAuth2OptionsValidator.Check(candidate, previous, errors, secretsOptional);
        checkRule("authRule", String(options["authRule"]));
        checkRule("manageRule", String(options["manageRule"]));
        checkRule("mfa.rule", String((options["mfa"] as JsonObject)?["rule"]));

        if (previous is not null && String(options["authRule"]) != String(previous.Options["authRule"]) && options["authToken"] is JsonObject authToken)
        {
            authToken["secret"] = RandomText.Alphanumeric(AuthOptions.SecretLength);
        }
    }

    private static double? Number(JsonNode? node) => JsonNumber.Get(node);

    private static bool Enabled(JsonObject options, string key) =>
        (options[key] as JsonObject)?["enabled"] is JsonValue v && v.TryGetValue<bool>(out var on) && on;

    private static string? String(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
}
