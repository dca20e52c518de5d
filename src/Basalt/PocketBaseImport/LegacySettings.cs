using System.Text.Json.Nodes;

namespace Basalt.PocketBaseImport;

/// <summary>
/// Splits PocketBase v0.22's one settings document the way v0.23 split it: token secrets and durations, OAuth2 providers
/// and email templates move into each auth collection (the <c>admin*</c> tokens into <c>_superusers</c>), and what stays
/// app-wide (meta, logs, smtp, s3, backups) takes the v0.23 names (<c>appUrl</c> → <c>appURL</c>, <c>logIp</c> →
/// <c>logIP</c>).
/// </summary>
internal static class LegacySettings
{
    private static readonly string[] Providers =
    [
        "googleAuth", "facebookAuth", "githubAuth", "gitlabAuth", "discordAuth", "twitterAuth", "microsoftAuth", "spotifyAuth",
        "kakaoAuth", "twitchAuth", "stravaAuth", "giteeAuth", "livechatAuth", "giteaAuth", "oidcAuth", "oidc2Auth", "oidc3Auth",
        "appleAuth", "instagramAuth", "vkAuth", "yandexAuth", "patreonAuth", "mailcowAuth", "bitbucketAuth", "planningcenterAuth",
    ];

    private static readonly (string Collection, string Settings)[] RecordTokens =
    [
        ("authToken", "recordAuthToken"), ("passwordResetToken", "recordPasswordResetToken"), ("emailChangeToken", "recordEmailChangeToken"),
        ("verificationToken", "recordVerificationToken"), ("fileToken", "recordFileToken"),
    ];

    private static readonly (string Collection, string Settings)[] AdminTokens =
        [("authToken", "adminAuthToken"), ("passwordResetToken", "adminPasswordResetToken"), ("fileToken", "adminFileToken")];

    private static readonly string[] Templates = ["verificationTemplate", "resetPasswordTemplate", "confirmEmailChangeTemplate"];

    /// <summary>The v0.23 auth options of a v0.22 auth collection with <paramref name="options"/>.</summary>
    public static IEnumerable<(string Key, JsonNode? Value)> AuthOptions(JsonObject options, JsonObject? settings, string collection, List<ImportNote> notes)
    {
        foreach (var token in Tokens(settings, RecordTokens))
        {
            yield return token;
        }

        yield return ("authRule", Loose.Bool(options["onlyVerified"]) ? "verified=true" : "");
        var manageRule = Loose.Rule(Loose.Text(options["manageRule"]));
        yield return ("manageRule", string.IsNullOrEmpty(manageRule) ? null : manageRule);

        var identityFields = new JsonArray();
        if (Loose.Bool(options["allowEmailAuth"]))
        {
            identityFields.Add((JsonNode?)"email");
        }

        if (Loose.Bool(options["allowUsernameAuth"]))
        {
            identityFields.Add((JsonNode?)"username");
        }

        yield return ("passwordAuth", new JsonObject { ["enabled"] = identityFields.Count > 0, ["identityFields"] = identityFields });

        var providers = new JsonArray();
        foreach (var key in Providers.Where(p => Loose.Bool(Loose.At(settings, p, "enabled"))))
        {
            providers.Add((JsonNode?)new JsonObject
            {
                ["name"] = key[..^"Auth".Length],
                ["clientId"] = Loose.Text(Loose.At(settings, key, "clientId")),
                ["clientSecret"] = Loose.Text(Loose.At(settings, key, "clientSecret")),
                ["authURL"] = Loose.Text(Loose.At(settings, key, "authUrl")),
                ["tokenURL"] = Loose.Text(Loose.At(settings, key, "tokenUrl")),
                ["userInfoURL"] = Loose.Text(Loose.At(settings, key, "userApiUrl")),
                ["displayName"] = Loose.Text(Loose.At(settings, key, "displayName")),
                ["pkce"] = Loose.At(settings, key, "pkce")?.DeepClone(),
            });
        }

        yield return ("oauth2", new JsonObject
        {
            ["enabled"] = Loose.Bool(options["allowOAuth2Auth"]) && providers.Count > 0,
            ["providers"] = providers,
            ["mappedFields"] = new JsonObject { ["username"] = "username" },
        });

        foreach (var name in Templates)
        {
            var subject = Loose.Text(Loose.At(settings, "meta", name, "subject"));
            var body = Loose.Text(Loose.At(settings, "meta", name, "body"))
                .Replace("{ACTION_URL}", Loose.Text(Loose.At(settings, "meta", name, "actionUrl")), StringComparison.Ordinal);
            if (subject.Length > 0 && body.Length > 0)
            {
                yield return (name, new JsonObject { ["subject"] = subject, ["body"] = body });
            }
        }

        if (settings is null)
        {
            notes.Add(new ImportNote(
                $"collection \"{collection}\": token secrets",
                "PocketBase's settings could not be read, so new secrets were made: tokens PocketBase issued are not accepted and its users sign in again"));
        }
    }

    /// <summary>The token configs of <c>_superusers</c>, from v0.22's <c>admin*Token</c> settings.</summary>
    public static JsonObject Superusers(JsonObject? settings)
    {
        var options = new JsonObject();
        foreach (var (key, value) in Tokens(settings, AdminTokens))
        {
            options[key] = value;
        }

        return options;
    }

    /// <summary>The app-wide sections in their v0.23 form.</summary>
    public static JsonObject AppSettings(JsonObject settings) => new()
    {
        ["meta"] = new JsonObject
        {
            ["appName"] = Loose.Text(Loose.At(settings, "meta", "appName")),
            ["appURL"] = Loose.Text(Loose.At(settings, "meta", "appUrl")).TrimEnd('/'),
            ["hideControls"] = Loose.Bool(Loose.At(settings, "meta", "hideControls")),
            ["senderName"] = Loose.Text(Loose.At(settings, "meta", "senderName")),
            ["senderAddress"] = Loose.Text(Loose.At(settings, "meta", "senderAddress")),
        },
        ["logs"] = new JsonObject
        {
            ["maxDays"] = Loose.Integer(Loose.At(settings, "logs", "maxDays")),
            ["minLevel"] = Loose.Integer(Loose.At(settings, "logs", "minLevel")),
            ["logIP"] = Loose.Bool(Loose.At(settings, "logs", "logIp")),
        },
        ["smtp"] = new JsonObject
        {
            ["enabled"] = Loose.Bool(Loose.At(settings, "smtp", "enabled")),
            ["host"] = Loose.Text(Loose.At(settings, "smtp", "host")),
            ["port"] = Loose.Integer(Loose.At(settings, "smtp", "port")),
            ["username"] = Loose.Text(Loose.At(settings, "smtp", "username")),
            ["password"] = Loose.Text(Loose.At(settings, "smtp", "password")),
            ["authMethod"] = Loose.Text(Loose.At(settings, "smtp", "authMethod")),
            ["tls"] = Loose.Bool(Loose.At(settings, "smtp", "tls")),
            ["localName"] = Loose.Text(Loose.At(settings, "smtp", "localName")),
        },
        ["s3"] = S3(Loose.At(settings, "s3")),
        ["backups"] = new JsonObject
        {
            ["cron"] = Loose.Text(Loose.At(settings, "backups", "cron")),
            ["cronMaxKeep"] = Loose.Integer(Loose.At(settings, "backups", "cronMaxKeep")),
            ["s3"] = S3(Loose.At(settings, "backups", "s3")),
        },
    };

    private static JsonObject S3(JsonNode? s3) => new()
    {
        ["enabled"] = Loose.Bool(Loose.At(s3, "enabled")),
        ["bucket"] = Loose.Text(Loose.At(s3, "bucket")),
        ["region"] = Loose.Text(Loose.At(s3, "region")),
        ["endpoint"] = Loose.Text(Loose.At(s3, "endpoint")),
        ["accessKey"] = Loose.Text(Loose.At(s3, "accessKey")),
        ["secret"] = Loose.Text(Loose.At(s3, "secret")),
        ["forcePathStyle"] = Loose.Bool(Loose.At(s3, "forcePathStyle")),
    };

    private static IEnumerable<(string Key, JsonNode? Value)> Tokens(JsonObject? settings, (string Collection, string Settings)[] map)
    {
        foreach (var (collectionKey, settingsKey) in map)
        {
            var secret = Loose.Text(Loose.At(settings, settingsKey, "secret"));
            var duration = Loose.Integer(Loose.At(settings, settingsKey, "duration"));
            var token = new JsonObject();
            if (secret.Length > 0)
            {
                token["secret"] = secret;
            }

            if (duration > 0)
            {
                token["duration"] = duration;
            }

            if (token.Count > 0)
            {
                yield return (collectionKey, token);
            }
        }
    }
}
