using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Basalt.Api;
using Basalt.Auth;

namespace Basalt.Settings;

/// <summary>The application settings of §11 that Basalt implements, with their JSON form and validation.</summary>
public sealed record AppSettings(MetaSettings Meta, SmtpSettings Smtp)
{
    public const string FailedToUpdate = "An error occurred while submitting the form.";

    public static readonly AppSettings Default = new(MetaSettings.Default, SmtpSettings.Default);

    /// <summary>The wire (or stored) JSON; secrets are blanked unless <paramref name="includeSecrets"/> (storage only).</summary>
    public JsonObject ToJson(bool includeSecrets) => new()
    {
        ["meta"] = new JsonObject
        {
            ["appName"] = Meta.AppName,
            ["appURL"] = Meta.AppUrl,
            ["senderName"] = Meta.SenderName,
            ["senderAddress"] = Meta.SenderAddress,
            ["hideControls"] = Meta.HideControls,
        },
        ["smtp"] = new JsonObject
        {
            ["enabled"] = Smtp.Enabled,
            ["host"] = Smtp.Host,
            ["port"] = Smtp.Port,
            ["username"] = Smtp.Username,
            ["password"] = includeSecrets ? Smtp.Password : "",
            ["authMethod"] = Smtp.AuthMethod,
            ["tls"] = Smtp.Tls,
            ["localName"] = Smtp.LocalName,
        },
    };

    /// <summary>Reads settings JSON; a missing member keeps its default, a member of the wrong type is a field error.</summary>
    public static AppSettings FromJson(JsonObject json)
    {
        var errors = new JsonObject();
        var meta = Section(json, "meta", errors);
        var smtp = Section(json, "smtp", errors);
        var metaErrors = new ValidationErrors();
        var smtpErrors = new ValidationErrors();
        var m = MetaSettings.Default;
        var s = SmtpSettings.Default;
        var settings = new AppSettings(
            new MetaSettings(
                Text(meta, "appName", m.AppName, metaErrors),
                Text(meta, "appURL", m.AppUrl, metaErrors),
                Text(meta, "senderName", m.SenderName, metaErrors),
                Text(meta, "senderAddress", m.SenderAddress, metaErrors),
                Bool(meta, "hideControls", m.HideControls, metaErrors)),
            new SmtpSettings(
                Bool(smtp, "enabled", s.Enabled, smtpErrors),
                Text(smtp, "host", s.Host, smtpErrors),
                Int(smtp, "port", s.Port, smtpErrors),
                Text(smtp, "username", s.Username, smtpErrors),
                Text(smtp, "password", s.Password, smtpErrors),
                Text(smtp, "authMethod", s.AuthMethod, smtpErrors),
                Bool(smtp, "tls", s.Tls, smtpErrors),
                Text(smtp, "localName", s.LocalName, smtpErrors)));
        Nest(errors, "meta", metaErrors);
        Nest(errors, "smtp", smtpErrors);

        // Section type errors were recorded first and are kept: Nest only adds a section's field errors.
        return errors.Count > 0 ? throw ApiError.BadRequest(FailedToUpdate, errors) : settings;
    }

    /// <summary>Throws a 400 naming every invalid field, nested as <c>{meta: {appURL: {code, message}}}</c>.</summary>
    public void Validate()
    {
        var meta = new ValidationErrors();
        Required(meta, "appName", Meta.AppName, 255);
        Required(meta, "appURL", Meta.AppUrl, 2048);
        if (Meta.AppUrl.Length > 0 && !IsHttpUrl(Meta.AppUrl))
        {
            meta.Add("appURL", "validation_is_url", "Must be a valid URL.");
        }

        Required(meta, "senderName", Meta.SenderName, 255);
        Required(meta, "senderAddress", Meta.SenderAddress, EmailAddress.MaxLength);
        if (Meta.SenderAddress.Length > 0 && !EmailAddress.IsValid(Meta.SenderAddress))
        {
            meta.Add("senderAddress", "validation_is_email", "Must be a valid email address.");
        }

        var smtp = new ValidationErrors();
        if (Smtp.Enabled)
        {
            Required(smtp, "host", Smtp.Host, 255);
            if (Smtp.Port is < 1 or > 65535)
            {
                smtp.Add("port", "validation_required", "Must be a port between 1 and 65535.");
            }
        }

        if (Smtp.AuthMethod is not (SmtpSettings.Plain or SmtpSettings.Login or ""))
        {
            smtp.Add("authMethod", "validation_in_invalid", "Must be PLAIN or LOGIN.");
        }

        if (Smtp.Host.Length > 255 || Smtp.Host.Any(char.IsWhiteSpace))
        {
            smtp.Add("host", "validation_is_host", "Must be a valid host name.");
        }

        if (Smtp.LocalName.Length > 255 || Smtp.LocalName.Any(char.IsWhiteSpace))
        {
            smtp.Add("localName", "validation_is_domain", "Must be a valid domain.");
        }

        var errors = new JsonObject();
        Nest(errors, "meta", meta);
        Nest(errors, "smtp", smtp);
        if (errors.Count > 0)
        {
            throw ApiError.BadRequest(FailedToUpdate, errors);
        }
    }

    private static bool IsHttpUrl(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);

    private static void Required(ValidationErrors errors, string field, string value, int max)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            errors.Add(field, "validation_required", "Cannot be blank.");
        }
        else if (value.Length > max)
        {
            errors.Add(field, "validation_length_out_of_range", $"The length must be no more than {max}.");
        }
    }

    private static void Nest(JsonObject errors, string key, ValidationErrors section)
    {
        if (!section.IsEmpty && !errors.ContainsKey(key))
        {
            errors[key] = section.ToJson();
        }
    }

    private static JsonObject Section(JsonObject json, string key, JsonObject errors)
    {
        var node = json[key];
        if (node is null or JsonObject)
        {
            return node as JsonObject ?? [];
        }

        errors[key] = ValidationErrors.Leaf("validation_invalid_type", "Must be an object.", null);
        return [];
    }

    private static string Text(JsonObject section, string key, string fallback, ValidationErrors errors)
    {
        var node = section[key];
        if (node is null)
        {
            return fallback;
        }

        if (node is JsonValue v && v.TryGetValue<string>(out var s))
        {
            return s.Trim();
        }

        errors.Add(key, "validation_invalid_type", "Must be a string.");
        return fallback;
    }

    private static bool Bool(JsonObject section, string key, bool fallback, ValidationErrors errors)
    {
        var node = section[key];
        if (node is null)
        {
            return fallback;
        }

        if (node is JsonValue v && v.GetValueKind() is JsonValueKind.True or JsonValueKind.False)
        {
            return v.GetValueKind() == JsonValueKind.True;
        }

        errors.Add(key, "validation_invalid_type", "Must be a boolean.");
        return fallback;
    }

    private static int Int(JsonObject section, string key, int fallback, ValidationErrors errors)
    {
        var node = section[key];
        if (node is null)
        {
            return fallback;
        }

        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.Number && int.TryParse(v.ToJsonString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n))
        {
            return n;
        }

        errors.Add(key, "validation_invalid_type", "Must be a whole number.");
        return fallback;
    }
}
