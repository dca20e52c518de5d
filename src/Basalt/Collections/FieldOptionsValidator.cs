using System.Globalization;
using System.Text.RegularExpressions;
using Basalt.Errors;
using Basalt.Model;

namespace Basalt.Collections;

/// <summary>Checks the type-specific options of one field (§2.5); errors go under the field's path (<c>fields.2.max</c>).</summary>
internal static partial class FieldOptionsValidator
{
    public const int MaxPasswordLength = 71;

    public static void Validate(Field field, string path, Collection collection, Collection? previous, ICollectionLookup lookup, NestedErrors errors)
    {
        if (field.GetString("help") is { Length: > 300 })
        {
            errors.Add(path + ".help", "validation_length_too_long", "The length must be no more than 300.");
        }

        switch (field.Type)
        {
            case FieldType.Text:
                ValidateText(field, path, errors);
                break;
            case FieldType.Number:
                if (field.GetNumber("min") is { } min && field.GetNumber("max") is { } max && min > max)
                {
                    errors.Add(path + ".max", "validation_min_greater_equal_than_required", "Must be no less than " + Format(min) + ".");
                }

                break;
            case FieldType.Email or FieldType.Url:
                ValidateDomains(field, path, errors);
                break;
            case FieldType.Editor or FieldType.Json:
                NonNegative(field, "maxSize", path, errors);
                break;
            case FieldType.Date:
                ValidateDateRange(field, path, errors);
                break;
            case FieldType.Autodate:
                if (!field.GetBool("onCreate") && !field.GetBool("onUpdate"))
                {
                    errors.Add(path + ".onCreate", "validation_required", "At least one of onCreate or onUpdate must be set.");
                }

                break;
            case FieldType.Select:
                ValidateSelect(field, path, errors);
                break;
            case FieldType.File:
                ValidateFile(field, path, errors);
                break;
            case FieldType.Relation:
                ValidateRelation(field, path, collection, previous, lookup, errors);
                break;
            case FieldType.Password:
                ValidatePassword(field, path, errors);
                break;
        }
    }

    private static void ValidateText(Field field, string path, NestedErrors errors)
    {
        var min = NonNegative(field, "min", path, errors);
        var max = NonNegative(field, "max", path, errors);
        if (max > 0 && min > max)
        {
            errors.Add(path + ".max", "validation_min_greater_equal_than_required", "Must be no less than " + Format(min) + ".");
        }

        CheckPattern(field, "pattern", path, errors);
        CheckPattern(field, "autogeneratePattern", path, errors);
        if (field.PrimaryKey && field.Name != "id")
        {
            errors.Add(path + ".primaryKey", "validation_invalid_primary_key", "Only the id field can be the primary key.");
        }
    }

    private static void ValidateDomains(Field field, string path, NestedErrors errors)
    {
        var except = field.GetStrings("exceptDomains");
        var only = field.GetStrings("onlyDomains");
        if (except.Count > 0 && only.Count > 0)
        {
            errors.Add(path + ".onlyDomains", "validation_conflicting_options", "The onlyDomains and exceptDomains options can't be set together.");
        }

        foreach (var (key, list) in new[] { ("exceptDomains", except), ("onlyDomains", only) })
        {
            if (list.Any(d => !DomainPattern().IsMatch(d)))
            {
                errors.Add(path + "." + key, "validation_invalid_domain", "Must be a list of valid domains.");
            }
        }
    }

    private static void ValidateDateRange(Field field, string path, NestedErrors errors)
    {
        DateTimeOffset? Parse(string key)
        {
            var text = field.GetString(key) ?? "";
            if (text.Length == 0)
            {
                return null;
            }

            if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value))
            {
                return value;
            }

            errors.Add(path + "." + key, "validation_invalid_date", "Must be a valid date.");
            return null;
        }

        if (Parse("min") is { } min && Parse("max") is { } max && min > max)
        {
            errors.Add(path + ".max", "validation_min_greater_equal_than_required", "Must be no earlier than min.");
        }
    }

    private static void ValidateSelect(Field field, string path, NestedErrors errors)
    {
        var values = field.GetStrings("values");
        if (values.Count == 0)
        {
            errors.Add(path + ".values", "validation_required", "Cannot be blank.");
        }
        else if (values.Any(v => v.Length == 0) || values.Distinct(StringComparer.Ordinal).Count() != values.Count)
        {
            errors.Add(path + ".values", "validation_invalid_values", "Values must be unique and non-empty.");
        }

        var maxSelect = NonNegative(field, "maxSelect", path, errors);
        if (values.Count > 0 && maxSelect > values.Count)
        {
            errors.Add(path + ".maxSelect", "validation_max_less_equal_than_required", "Must be no greater than " + values.Count + ".");
        }
    }

    private static void ValidateFile(Field field, string path, NestedErrors errors)
    {
        NonNegative(field, "maxSize", path, errors);
        NonNegative(field, "maxSelect", path, errors);
        if (field.GetStrings("thumbs").Any(t => !ThumbPattern().IsMatch(t) || t.StartsWith("0x0", StringComparison.Ordinal)))
        {
            errors.Add(path + ".thumbs", "validation_invalid_thumb_format", "Thumbs must be in the format WxH, WxHt, WxHb or WxHf.");
        }
    }

    private static void ValidateRelation(Field field, string path, Collection collection, Collection? previous, ICollectionLookup lookup, NestedErrors errors)
    {
        var minSelect = NonNegative(field, "minSelect", path, errors);
        var maxSelect = NonNegative(field, "maxSelect", path, errors);
        if (maxSelect > 0 && minSelect > maxSelect)
        {
            errors.Add(path + ".maxSelect", "validation_min_greater_equal_than_required", "Must be no less than minSelect.");
        }

        var targetId = field.CollectionId ?? "";
        var old = previous?.FindFieldById(field.Id);
        if (old is { Type: FieldType.Relation } && old.CollectionId != targetId)
        {
            errors.Add(path + ".collectionId", "validation_field_collection_id_change", "The relation collection cannot be changed.");
            return;
        }

        if (targetId.Length == 0)
        {
            errors.Add(path + ".collectionId", "validation_required", "Cannot be blank.");
            return;
        }

        var target = targetId == collection.Id ? collection : lookup.Find(targetId);
        if (target is null || !string.Equals(target.Id, targetId, StringComparison.Ordinal))
        {
            errors.Add(path + ".collectionId", "validation_missing_collection", "The related collection doesn't exist.");
        }
        else if (target.IsView && !collection.IsView)
        {
            errors.Add(path + ".collectionId", "validation_relation_to_view", "Only view collections may relate to view collections.");
        }
    }

    private static void ValidatePassword(Field field, string path, NestedErrors errors)
    {
        var min = NonNegative(field, "min", path, errors);
        var max = NonNegative(field, "max", path, errors);
        if (min > MaxPasswordLength)
        {
            errors.Add(path + ".min", "validation_max_less_equal_than_required", "Must be no greater than 71.");
        }

        if (max > MaxPasswordLength)
        {
            errors.Add(path + ".max", "validation_max_less_equal_than_required", "Must be no greater than 71.");
        }
        else if (max > 0 && min > max)
        {
            errors.Add(path + ".max", "validation_min_greater_equal_than_required", "Must be no less than " + Format(min) + ".");
        }

        var cost = field.GetNumber("cost") ?? 0;
        if (cost != 0 && cost is < 4 or > 31)
        {
            errors.Add(path + ".cost", "validation_out_of_range", "Must be 0 or between 4 and 31.");
        }

        CheckPattern(field, "pattern", path, errors);
    }

    private static double NonNegative(Field field, string key, string path, NestedErrors errors)
    {
        var value = field.GetNumber(key) ?? 0;
        if (value < 0)
        {
            errors.Add(path + "." + key, "validation_min_greater_equal_than_required", "Must be no less than 0.");
            return 0;
        }

        return value;
    }

    private static void CheckPattern(Field field, string key, string path, NestedErrors errors)
    {
        var pattern = field.GetString(key) ?? "";
        if (pattern.Length == 0)
        {
            return;
        }

        try
        {
            _ = new Regex(pattern, RegexOptions.None, TimeSpan.FromMilliseconds(100));
        }
        catch (ArgumentException)
        {
            errors.Add(path + "." + key, "validation_invalid_regex", "Invalid regular expression.");
        }
    }

    private static string Format(double value) => value.ToString(CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^(?=.{1,253}$)([a-zA-Z0-9]([a-zA-Z0-9\-]{0,61}[a-zA-Z0-9])?\.)+[a-zA-Z]{2,}$")]
    private static partial Regex DomainPattern();

    [GeneratedRegex(@"^\d+x\d+[tbf]?$")]
    private static partial Regex ThumbPattern();
}
