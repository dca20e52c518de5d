using System.Text.Json.Nodes;
using Basalt.Errors;
using Basalt.Model;
using Basalt.Records.Fields;

namespace Basalt.Records;

/// <summary>
/// Applies a submitted body to a record: resolves the modifiers (<c>f+</c>, <c>+f</c>, <c>f-</c>, <c>f:autogenerate</c>)
/// shortest key first, ignores unknown and read-only keys, drops hidden fields for non-superusers, and records what
/// <c>@request.body</c> must show. Plain-text passwords are kept aside to be validated and hashed by the caller.
/// </summary>
internal sealed partial class RecordBody
{
    private static readonly HashSet<string> IgnoredKeys = new(StringComparer.Ordinal) { "collectionId", "collectionName", "expand" };

    private RecordBody()
    {
    }

    /// <summary>Fields whose value the body set or modified.</summary>
    public HashSet<string> Changed { get; } = new(StringComparer.Ordinal);

    /// <summary>Submitted plain-text passwords by field name.</summary>
    public Dictionary<string, string> Passwords { get; } = new(StringComparer.Ordinal);

    public string? PasswordConfirm { get; private set; }

    public string? OldPassword { get; private set; }

    /// <summary>The body as rules see it: resolved values under their plain names, plus unknown keys as submitted.</summary>
    public JsonObject RequestBody { get; } = [];

    public ValidationErrors Errors { get; } = new();

    /// <summary>
    /// Applies <paramref name="body"/> to <paramref name="record"/>; each of <paramref name="uploads"/> joins the body
    /// under its key by its stored name (see <c>RecordBody.Uploads.cs</c>).
    /// </summary>
    public static RecordBody Apply(Record record, JsonObject body, bool superuser, IReadOnlyList<RecordUpload>? uploads = null)
    {
        var result = new RecordBody();
        var collection = record.Collection;
        if (uploads is { Count: > 0 })
        {
            body = result.WithUploads(collection, body, uploads);
        }

        foreach (var (key, node) in body.OrderBy(p => p.Key.Length))
        {
            if (IgnoredKeys.Contains(key))
            {
                continue;
            }

            if (collection.IsAuth && key is "passwordConfirm" or "oldPassword")
            {
                var text = FieldValues.ToText(node);
                if (key == "passwordConfirm")
                {
                    result.PasswordConfirm = text;
                }
                else
                {
                    result.OldPassword = text;
                }

                result.RequestBody[key] = node?.DeepClone();
                continue;
            }

            var (name, modifier) = Split(key);
            var field = collection.FindField(name);
            if (field is null)
            {
                if (modifier == Modifier.None)
                {
                    result.RequestBody[key] = node?.DeepClone();
                }

                continue;
            }

            var isAuthPassword = collection.IsAuth && field.Type == FieldType.Password;
            if ((field.Hidden && !superuser && !isAuthPassword) || field.Type == FieldType.Autodate)
            {
                continue;
            }

            result.ApplyOne(record, field, modifier, node);
        }

        foreach (var name in result.Changed)
        {
            result.RequestBody[name] = result.Passwords.TryGetValue(name, out var plain)
                ? JsonValue.Create(plain)
                : FieldValues.ToNode(record.Get(name));
        }

        return result;
    }

    private void ApplyOne(Record record, Field field, Modifier modifier, JsonNode? node)
    {
        FieldIssue? issue = null;
        switch (modifier)
        {
            case Modifier.None when field.Type == FieldType.Password:
                Passwords[field.Name] = FieldValues.ToText(node);
                break;
            case Modifier.None:
                record.Set(field.Name, FieldValues.Normalize(field, node, out issue));
                break;
            case Modifier.Autogenerate:
                var pattern = field.GetString("autogeneratePattern");
                if (field.Type != FieldType.Text || string.IsNullOrEmpty(pattern))
                {
                    return;
                }

                var prefix = FieldValues.ToText(node);
                try
                {
                    record.Set(field.Name, prefix + PatternGenerator.Generate(pattern));
                }
                catch (FormatException)
                {
                    issue = FieldIssue.Invalid("The field autogenerate pattern is not supported.");
                }

                break;
            case Modifier.Append or Modifier.Remove when field.Type == FieldType.Number:
                var current = record.Get(field.Name) is double d ? d : 0;
                var delta = (double)FieldValues.Normalize(field, node, out issue)!;
                record.Set(field.Name, modifier == Modifier.Append ? current + delta : current - delta);
                break;
            case Modifier.Append or Modifier.Prepend or Modifier.Remove when FieldType.CanBeMultiple(field.Type):
                var existing = FieldValues.Items(record.Get(field.Name));
                IEnumerable<string> merged;
                if (modifier == Modifier.Remove)
                {
                    var removed = new HashSet<string>(FieldValues.ToStringList(node), StringComparer.Ordinal);
                    merged = existing.Where(x => !removed.Contains(x));
                }
                else
                {
                    // past maxSelect+1 values the list is refused whatever the rest holds, so a huge submitted array is not walked
                    var items = FieldValues.ToStringList(node, field.IsMultiple ? FieldValues.MaxItems(field) : int.MaxValue);
                    merged = modifier == Modifier.Append ? existing.Concat(items) : items.Concat(existing);
                }

                var list = merged.Distinct(StringComparer.Ordinal).ToList();
                if (field.IsMultiple && list.Count > FieldValues.MaxItems(field))
                {
                    list.RemoveRange(FieldValues.MaxItems(field), list.Count - FieldValues.MaxItems(field));
                }

                record.Set(field.Name, field.IsMultiple ? list : list.Count == 0 ? "" : list[^1]);
                break;
            default:
                return;
        }

        if (issue is not null)
        {
            Errors.Add(field.Name, issue.Code, issue.Message, issue.Params);
        }

        Changed.Add(field.Name);
    }

    private static (string Name, Modifier Modifier) Split(string key)
    {
        const string autogenerate = ":autogenerate";
        if (key.EndsWith(autogenerate, StringComparison.Ordinal))
        {
            return (key[..^autogenerate.Length], Modifier.Autogenerate);
        }

        if (key.Length > 1 && key[0] == '+')
        {
            return (key[1..], Modifier.Prepend);
        }

        if (key.Length > 1 && key[^1] == '+')
        {
            return (key[..^1], Modifier.Append);
        }

        if (key.Length > 1 && key[^1] == '-')
        {
            return (key[..^1], Modifier.Remove);
        }

        return (key, Modifier.None);
    }

    private enum Modifier
    {
        None,
        Append,
        Prepend,
        Remove,
        Autogenerate,
    }
}
