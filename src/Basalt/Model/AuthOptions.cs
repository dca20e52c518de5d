using System.Text.Json.Nodes;
using Basalt.Common;

namespace Basalt.Model;

/// <summary>
/// The auth collection options of §2.6 with their defaults. They live flattened in <see cref="Collection.Options"/>;
/// every token config carries a random <c>secret</c> that is never serialised to clients.
/// </summary>
public static class AuthOptions
{
    /// <summary>The top-level option keys, in wire order.</summary>
    public static readonly IReadOnlyList<string> Keys =
    [
        "authRule", "manageRule", "authAlert", "oauth2", "passwordAuth", "mfa", "otp",
        "authToken", "passwordResetToken", "emailChangeToken", "verificationToken", "fileToken",
        "verificationTemplate", "resetPasswordTemplate", "confirmEmailChangeTemplate",
    ];

    /// <summary>The token configs; each has <c>duration</c> (seconds) and a hidden <c>secret</c>.</summary>
    public static readonly IReadOnlyList<string> TokenKeys =
        ["authToken", "passwordResetToken", "emailChangeToken", "verificationToken", "fileToken"];

    public const int SecretLength = 50;
    public const int MinDuration = 10;
    public const int MaxDuration = 94670856;

    /// <summary>Fresh default options with newly generated secrets.</summary>
    public static JsonObject CreateDefaults() => new()
    {
        ["authRule"] = "",
        ["manageRule"] = null,
        ["authAlert"] = new JsonObject
        {
            ["enabled"] = true,
            ["emailTemplate"] = Template(
                "Login from a new location",
                "<p>Hello,</p><p>We noticed a login to your {APP_NAME} account from a new location: {ALERT_INFO}</p>" +
                "<p>If this was not you, change your password right away.</p><p>The {APP_NAME} team</p>"),
        },
        ["oauth2"] = new JsonObject
        {
            ["enabled"] = false,
            ["mappedFields"] = new JsonObject { ["id"] = "", ["name"] = "", ["username"] = "", ["avatarURL"] = "" },
            ["providers"] = new JsonArray(),
        },
        ["passwordAuth"] = new JsonObject { ["enabled"] = true, ["identityFields"] = new JsonArray("email") },
        ["mfa"] = new JsonObject { ["enabled"] = false, ["duration"] = 600, ["rule"] = "" },
        ["otp"] = new JsonObject
        {
            ["enabled"] = false,
            ["duration"] = 180,
            ["length"] = 8,
            ["emailTemplate"] = Template(
                "OTP for {APP_NAME}",
                "<p>Hello,</p><p>Your one-time password is: <strong>{OTP}</strong></p>" +
                "<p>If you did not ask for it, you can ignore this email.</p><p>The {APP_NAME} team</p>"),
        },
        ["authToken"] = Token(432000),
        ["passwordResetToken"] = Token(1800),
        ["emailChangeToken"] = Token(1800),
        ["verificationToken"] = Token(86400),
        ["fileToken"] = Token(180),
        ["verificationTemplate"] = Template(
            "Verify your {APP_NAME} email",
            "<p>Hello,</p><p>Thank you for joining {APP_NAME}. Click the link below to verify your email address.</p>" +
            "<p><a href=\"{APP_URL}/_/#/auth/confirm-verification/{TOKEN}\" target=\"_blank\" rel=\"noopener\">Verify</a></p>" +
            "<p>The {APP_NAME} team</p>"),
        ["resetPasswordTemplate"] = Template(
            "Reset your {APP_NAME} password",
            "<p>Hello,</p><p>Click the link below to choose a new password.</p>" +
            "<p><a href=\"{APP_URL}/_/#/auth/confirm-password-reset/{TOKEN}\" target=\"_blank\" rel=\"noopener\">Reset password</a></p>" +
            "<p>If you did not ask for it, you can ignore this email.</p><p>The {APP_NAME} team</p>"),
        ["confirmEmailChangeTemplate"] = Template(
            "Confirm your {APP_NAME} new email address",
            "<p>Hello,</p><p>Click the link below to confirm your new email address.</p>" +
            "<p><a href=\"{APP_URL}/_/#/auth/confirm-email-change/{TOKEN}\" target=\"_blank\" rel=\"noopener\">Confirm new email</a></p>" +
            "<p>If you did not ask for it, you can ignore this email.</p><p>The {APP_NAME} team</p>"),
    };

    /// <summary>Removes every secret (token secrets, OAuth2 client secrets) from a copy of the options for serialisation.</summary>
    internal static void StripSecrets(JsonObject options)
    {
        foreach (var key in TokenKeys)
        {
            (options[key] as JsonObject)?.Remove("secret");
        }

        if (options["oauth2"] is JsonObject { } oauth2 && oauth2["providers"] is JsonArray providers)
        {
            foreach (var provider in providers.OfType<JsonObject>())
            {
                provider.Remove("clientSecret");
            }
        }
    }

    private static JsonObject Token(int duration) => new() { ["duration"] = duration, ["secret"] = RandomText.Alphanumeric(SecretLength) };

    private static JsonObject Template(string subject, string body) => new() { ["subject"] = subject, ["body"] = body };
}
