using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Basalt.Common;
using Basalt.Model;

namespace Basalt.Records.Fields;

/// <summary>
/// The checks of each field type that need no database (length, range, format, allowed values, sizes),
/// with PocketBase's error codes. Relation existence and uniqueness are checked by the record writer.
/// </summary>
internal static partial class FieldValueValidator
{
    private const int DefaultTextMax = 5000;
    private const int DefaultEditorMaxSize = 5 << 20;
    private const int DefaultJsonMaxSize = 1 << 20;
    private static readonly TimeSpan RegexTimeout = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// Validates the canonical <paramref name="value"/>; <paramref name="original"/> is the stored record on update and
    /// <paramref name="uploaded"/> the stored names of the files uploaded with this write.
    /// </summary>
    public static FieldIssue? Validate(Field field, object? value, Record? original, IReadOnlyDictionary<string, RecordUpload>? uploaded = null)
    {
        if (field.Type is FieldType.Autodate or FieldType.Password)
        {
            return null;
        }

        if (field.PrimaryKey && original is not null && !Equals(original.Get(field.Name), value))
        {
            return new FieldIssue("validation_pk_change", "The record primary key cannot be changed.");
        }

        var empty = FieldValues.IsEmpty(field, value);
        if (empty)
        {
            return field.Required ? FieldIssue.Required : null;
        }

        return field.Type switch
        {
            FieldType.Text => Text(field, (string)value!),
            FieldType.Number => Number(field, (double)value!),
            FieldType.Email => Email(field, (string)value!),
            FieldType.Url => Url(field, (string)value!),
            FieldType.Editor => Encoding.UTF8.GetByteCount((string)value!) > MaxSize(field, DefaultEditorMaxSize)
                ? new FieldIssue("validation_max_text_constraint", $"Must be less than {MaxSize(field, DefaultEditorMaxSize)} bytes.", new JsonObject { ["max"] = MaxSize(field, DefaultEditorMaxSize) })
                : null,
            FieldType.Date => Date(field, (string)value!),
            FieldType.Select => Select(field, Items(value)),
            FieldType.Relation => Relation(field, Items(value)),
            FieldType.File => FileUploadChecks.Names(field, Items(value), original, uploaded),
            FieldType.Json => Encoding.UTF8.GetByteCount(((JsonNode)value!).ToJsonString()) > MaxSize(field, DefaultJsonMaxSize)
                ? new FieldIssue("validation_json_size_limit", $"The maximum allowed JSON size is {MaxSize(field, DefaultJsonMaxSize)} bytes.", new JsonObject { ["maxSize"] = MaxSize(field, DefaultJsonMaxSize) })
                : null,
            FieldType.GeoPoint => GeoPoint((JsonObject)value!),
            _ => null,
        };
    }

    /// <summary>Validates a submitted plain-text password before it is hashed.</summary>
    public static FieldIssue? Password(Field field, string plain)
    {
        if (plain.Length == 0)
        {
            return field.Required ? FieldIssue.Required : null;
        }

        var length = plain.EnumerateRunes().Count();
        var min = (int)(field.GetNumber("min") ?? 0);
        var max = Math.Min((int)(field.GetNumber("max") ?? 71) is var m && m > 0 ? m : 71, 71);
        if (length < min)
        {
            return MinText(min);
        }

        if (length > max || Encoding.UTF8.GetByteCount(plain) > 72)
        {
            return MaxText(max);
        }

        return PatternIssue(field, plain);
    }

    /// <summary>The rules every record id obeys, whatever its pattern: no path or shell characters, no Windows device names.</summary>
    public static FieldIssue? RecordId(string id)
    {
        foreach (var c in id)
        {
            if (c is '.' or '/' or '\\' or '|' or '"' or '\'' or '`' or '<' or '>' or ':' or '?' or '*' or '%' or '$' or '\0' || char.IsWhiteSpace(c))
            {
                return FieldIssue.Invalid("The record primary key contains forbidden characters.");
            }
        }

        return ReservedNameRegex().IsMatch(id)
            ? new FieldIssue("validation_pk_forbidden", "The record primary key is a reserved name.")
            : null;
    }

    [GeneratedRegex("^(CON|PRN|AUX|NUL|COM[0-9]|LPT[0-9])$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ReservedNameRegex();

    [GeneratedRegex(@"^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$")]
    private static partial Regex EmailRegex();

    public static bool IsEmail(string value) => value.Length <= 254 && EmailRegex().IsMatch(value);

    private static List<string> Items(object? value) => value switch
    {
        List<string> l => l,
        string s when s.Length > 0 => [s],
        _ => [],
    };

    private static int MaxSize(Field field, int fallback) =>
        field.GetNumber("maxSize") is { } n && n > 0 ? (int)Math.Min(n, int.MaxValue) : fallback;

    private static FieldIssue MinText(int min) =>
        new("validation_min_text_constraint", $"Must be at least {min} character(s).", new JsonObject { ["min"] = min });

    private static FieldIssue MaxText(int max) =>
        new("validation_max_text_constraint", $"Must be less than {max} character(s).", new JsonObject { ["max"] = max });

    private static FieldIssue? Text(Field field, string value)
    {
        var length = value.EnumerateRunes().Count();
        var min = (int)(field.GetNumber("min") ?? 0);
        var max = (int)(field.GetNumber("max") ?? 0);
        if (max <= 0)
        {
            max = DefaultTextMax;
        }

        if (length < min)
        {
            return MinText(min);
        }

        if (length > max)
        {
            return MaxText(max);
        }

        if (field.PrimaryKey && RecordId(value) is { } idIssue)
        {
            return idIssue;
        }

        return PatternIssue(field, value);
    }

    private static FieldIssue? PatternIssue(Field field, string value)
    {
        var pattern = field.GetString("pattern");
        if (string.IsNullOrEmpty(pattern))
        {
            return null;
        }

        try
        {
            return Regex.IsMatch(value, pattern, RegexOptions.CultureInvariant, RegexTimeout)
                ? null
                : new FieldIssue("validation_invalid_format", "Invalid value format.");
        }
        catch (Exception e) when (e is ArgumentException or RegexMatchTimeoutException)
        {
            return new FieldIssue("validation_invalid_format", "Invalid value format.");
        }
    }

    private static FieldIssue? Number(Field field, double value)
    {
        if (!double.IsFinite(value))
        {
            return new FieldIssue("validation_not_a_number", "The submitted number is not properly formatted.");
        }

        if (field.GetBool("onlyInt") && value != Math.Truncate(value))
        {
            return new FieldIssue("validation_only_int_constraint", "Only integers are allowed.");
        }

        if (field.GetNumber("min") is { } min && value < min)
        {
            return new FieldIssue("validation_min_number_constraint", $"Must be larger than {Format(min)}.", new JsonObject { ["min"] = min });
        }

        if (field.GetNumber("max") is { } max && value > max)
        {
            return new FieldIssue("validation_max_number_constraint", $"Must be less than {Format(max)}.", new JsonObject { ["max"] = max });
        }

        return null;
    }

    private static string Format(double d) => d.ToString("R", CultureInfo.InvariantCulture);

    private static FieldIssue? Email(Field field, string value)
    {
        if (!IsEmail(value))
        {
            return new FieldIssue("validation_is_email", "Must be a valid email address.");
        }

        var domain = value[(value.LastIndexOf('@') + 1)..];
        return DomainAllowed(field, domain) ? null : new FieldIssue("validation_email_domain_not_allowed", "Email domain is not allowed.");
    }

    private static FieldIssue? Url(Field field, string value)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Host.Length == 0 || uri.Scheme is not ("http" or "https" or "ftp" or "ftps" or "ws" or "wss"))
        {
            return new FieldIssue("validation_invalid_url", "Must be a valid url.");
        }

        return DomainAllowed(field, uri.Host) ? null : new FieldIssue("validation_url_domain_not_allowed", "Url domain is not allowed.");
    }

    private static bool DomainAllowed(Field field, string domain)
    {
        var only = field.GetStrings("onlyDomains");
        if (only.Count > 0)
        {
            return only.Any(d => string.Equals(d, domain, StringComparison.OrdinalIgnoreCase));
        }

        return !field.GetStrings("exceptDomains").Any(d => string.Equals(d, domain, StringComparison.OrdinalIgnoreCase));
    }

    private static FieldIssue? Date(Field field, string value)
    {
        if (!DateFormat.TryParse(value, out var date))
        {
            return new FieldIssue("validation_invalid_date", "Must be a valid date.");
        }

        if (DateFormat.TryParse(field.GetString("min"), out var min) && date < min)
        {
            return new FieldIssue("validation_min_date_constraint", $"Must be no earlier than {DateFormat.Format(min)}.", new JsonObject { ["min"] = DateFormat.Format(min) });
        }

        if (DateFormat.TryParse(field.GetString("max"), out var max) && date > max)
        {
            return new FieldIssue("validation_max_date_constraint", $"Must be no later than {DateFormat.Format(max)}.", new JsonObject { ["max"] = DateFormat.Format(max) });
        }

        return null;
    }

    private static int MaxSelect(Field field) => Math.Max(field.MaxSelect, 1);

    /// <summary>The count first, as PocketBase checks it, so an oversized list is refused without reading its values.</summary>
    private static FieldIssue? Select(Field field, List<string> items)
    {
        if (items.Count > MaxSelect(field))
        {
            return TooMany("validation_too_many_values", field);
        }

        var allowed = field.GetStrings("values");
        foreach (var item in items)
        {
            if (!allowed.Contains(item))
            {
                return new FieldIssue("validation_invalid_value", $"Invalid value {item}.", new JsonObject { ["value"] = item });
            }
        }

        return null;
    }

    private static FieldIssue? Relation(Field field, List<string> items)
    {
        if (items.Count > MaxSelect(field))
        {
            return TooMany("validation_too_many_values", field);
        }

        var minSelect = (int)(field.GetNumber("minSelect") ?? 0);
        return items.Count < minSelect
            ? new FieldIssue("validation_not_enough_values", $"Select at least {minSelect}.", new JsonObject { ["minSelect"] = minSelect })
            : null;
    }

    private static FieldIssue TooMany(string code, Field field) =>
        new(code, $"Select no more than {MaxSelect(field)}.", new JsonObject { ["maxSelect"] = MaxSelect(field) });

    private static FieldIssue? GeoPoint(JsonObject value)
    {
        var lon = FieldValues.Coordinate(value, "lon");
        var lat = FieldValues.Coordinate(value, "lat");
        if (lat is < -90 or > 90)
        {
            return FieldIssue.Invalid("The latitude must be between -90 and 90 degrees.");
        }

        return lon is < -180 or > 180 ? FieldIssue.Invalid("The longitude must be between -180 and 180 degrees.") : null;
    }
}
