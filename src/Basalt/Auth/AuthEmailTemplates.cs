using System.Text.Json.Nodes;
using Basalt.Collections;
using Basalt.Mail;
using Basalt.Records;
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

    // Plain strings, read once: a shared JsonObject is not safe to read from many threads.
    private static readonly Dictionary<string, (string Subject, string Body)> Defaults = LoadDefaults();

    public static Email Render(string templateKey, Record record, string to, string token, MetaSettings meta)
    {
        var custom = record.Collection.Options[templateKey] as JsonObject;
        var fallback = Defaults[templateKey];
        var subject = Text(custom, "subject") ?? fallback.Subject;
        var body = Text(custom, "body") ?? fallback.Body;
        return new Email(to, Replace(subject, record, token, meta), Replace(body, record, token, meta));
    }

    private static string Replace(string text, Record record, string token, MetaSettings meta)
    {
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
        return new[] { Verification, ResetPassword, ConfirmEmailChange }.ToDictionary(
            key => key,
            key => (Text(options[key] as JsonObject, "subject") ?? "", Text(options[key] as JsonObject, "body") ?? ""),
            StringComparer.Ordinal);
    }

    private static string? Text(JsonObject? template, string key) =>
        template?[key] is JsonValue v && v.TryGetValue<string>(out var s) && s.Length > 0 ? s : null;
}
