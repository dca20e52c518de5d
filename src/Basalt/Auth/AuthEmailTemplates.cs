using System.Text.Json.Nodes;
using Basalt.Mail;
using Basalt.Model;
using Basalt.Settings;

namespace Basalt.Auth;

/// <summary>
/// Renders the auth email templates of §2.6 from the collection's options (falling back to the defaults): replaces
/// <c>{APP_NAME}</c>, <c>{APP_URL}</c>, <c>{TOKEN}</c> and <c>{RECORD:field}</c> in the subject and body.
/// </summary>
public static class AuthEmailTemplates
{
    public const string Verification = "verificationTemplate";
    public const string ResetPassword = "resetPasswordTemplate";
    public const string ConfirmEmailChange = "confirmEmailChangeTemplate";
    public const string Otp = "otp.emailTemplate";
    public const string LoginAlert = "authAlert.emailTemplate";

    /// <summary>The template names of <c>POST /api/settings/test/email</c> and where each lives in the options.</summary>
    public static readonly IReadOnlyDictionary<string, string> ByTestName = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["verification"] = Verification,
        ["password-reset"] = ResetPassword,
        ["email-change"] = ConfirmEmailChange,
        ["otp"] = Otp,
        ["login-alert"] = LoginAlert,
    };

    // Plain strings, read once: a shared JsonObject is not safe to read from many threads.
    private static readonly Dictionary<string, (string Subject, string Body)> Defaults = LoadDefaults();

    /// <summary>Renders <paramref name="templateKey"/> (a path such as <c>otp.emailTemplate</c>); <paramref name="extra"/> fills other placeholders.</summary>
    public static Email Render(
        string templateKey, Record record, string to, string token, MetaSettings meta, IReadOnlyDictionary<string, string>? extra = null)
    {
        var custom = Locate(record.Collection.Options, templateKey);
        var fallback = Defaults[templateKey];
        var subject = Text(custom, "subject") ?? fallback.Subject;
        var body = Text(custom, "body") ?? fallback.Body;
        return new Email(to, Replace(subject, record, token, meta, extra), Replace(body, record, token, meta, extra));
    }

    private static string Replace(string text, Record record, string token, MetaSettings meta, IReadOnlyDictionary<string, string>? extra)
    {
        foreach (var (placeholder, value) in extra ?? new Dictionary<string, string>())
        {
            text = text.Replace(placeholder, value, StringComparison.Ordinal);
        }

        var result = text
            .Replace("{APP_NAME}", meta.AppName, StringComparison.Ordinal)
            .Replace("{APP_URL}", meta.AppUrl.TrimEnd('/'), StringComparison.Ordinal)
            .Replace("{TOKEN}", token, StringComparison.Ordinal);
        foreach (var field in record.Collection.Fields)
        {
            var placeholder = "{RECORD:" + field.Name + "}";
            if (field.Type is not FieldType.Password && field.Name != "tokenKey" && result.Contains(placeholder, StringComparison.Ordinal))
            {
                result = result.Replace(placeholder, Convert.ToString(record.Get(field.Name), System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
            }
        }

        return result;
    }

    private static Dictionary<string, (string Subject, string Body)> LoadDefaults()
    {
        var options = AuthOptions.CreateDefaults();
        return ByTestName.Values.ToDictionary(
            key => key,
            key => (Text(Locate(options, key), "subject") ?? "", Text(Locate(options, key), "body") ?? ""),
            StringComparer.Ordinal);
    }

    private static JsonObject? Locate(JsonObject options, string path)
    {
        JsonNode? node = options;
        foreach (var part in path.Split('.'))
        {
            node = (node as JsonObject)?[part];
        }

        return node as JsonObject;
    }

    private static string? Text(JsonObject? template, string key) =>
        template?[key] is JsonValue v && v.TryGetValue<string>(out var s) && s.Length > 0 ? s : null;
}
