using System.Text.Json.Nodes;
using Basalt.Errors;

namespace Basalt.Records;

/// <summary>
/// PocketBase's <c>?fields=</c> on any JSON response: a comma list of dot paths, <c>*</c> for every key of a level and
/// <c>path:excerpt(max, withEllipsis?)</c>. On a list result (<c>{page, …, items}</c>) picking applies inside <c>items</c>.
/// </summary>
public sealed partial class FieldsPicker
{
    private const int MaxLength = 2000;
    private readonly Dictionary<string, Excerpt?> _fields;

    private FieldsPicker(Dictionary<string, Excerpt?> fields)
    {
        _fields = fields;
    }

    /// <summary>Parses the parameter; null or blank gives null (keep everything). Bad syntax is a 400 naming <c>fields</c>.</summary>
    public static FieldsPicker? Parse(string? fields)
    {
        if (string.IsNullOrWhiteSpace(fields))
        {
            return null;
        }

        if (fields.Length > MaxLength)
        {
            throw Invalid("Too long.");
        }

        var parsed = new Dictionary<string, Excerpt?>(StringComparer.Ordinal);
        foreach (var item in SplitTopLevel(fields))
        {
            var text = item.Trim();
            if (text.Length == 0)
            {
                continue;
            }

            Excerpt? modifier = null;
            var colon = text.IndexOf(':', StringComparison.Ordinal);
            if (colon >= 0)
            {
                modifier = Excerpt.Parse(text[(colon + 1)..]) ?? throw Invalid($"Unknown modifier in {text}.");
                text = text[..colon].Trim();
            }

            if (text.Length == 0 || text.Split('.').Any(s => s.Length == 0))
            {
                throw Invalid($"Invalid field path {item}.");
            }

            parsed[text] = modifier;
        }

        return parsed.Count == 0 ? null : new FieldsPicker(parsed);
    }

    private static ApiError Invalid(string message) =>
        ApiError.Field("Invalid \"fields\" parameter format.", "fields", "validation_invalid_value", message);

    /// <summary>Picks in place and returns the node (the same instance, or a replaced scalar for a root excerpt).</summary>
    public JsonNode? Apply(JsonNode? data)
    {
        if (data is JsonObject root && root.ContainsKey("items") && root.ContainsKey("page") && root["items"] is JsonArray items)
        {
            Pick(items, new Dictionary<string, Excerpt?>(_fields));
            return root;
        }

        Pick(data, new Dictionary<string, Excerpt?>(_fields));
        return data;
    }

    private static void Pick(JsonNode? data, Dictionary<string, Excerpt?> fields)
    {
        switch (data)
        {
            case JsonObject obj:
                PickObject(obj, fields);
                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    Pick(item, new Dictionary<string, Excerpt?>(fields));
                }

                break;
        }
    }

    private static void PickObject(JsonObject data, Dictionary<string, Excerpt?> fields)
    {
        if (fields.Count == 0)
        {
            return;
        }

        if (fields.Remove("*", out var star))
        {
            foreach (var (key, _) in data)
            {
                if (!fields.Keys.Any(f => (f + ".").StartsWith(key + ".", StringComparison.Ordinal)))
                {
                    fields[key] = star;
                }
            }
        }

        foreach (var key in data.Select(p => p.Key).ToList())
        {
            var matching = fields.Where(f => (f.Key + ".").StartsWith(key + ".", StringComparison.Ordinal)).ToList();
            if (matching.Count == 0)
            {
                data.Remove(key);
                continue;
            }

            var rest = new Dictionary<string, Excerpt?>(StringComparer.Ordinal);
            var whole = false;
            foreach (var (path, modifier) in matching)
            {
                var remains = path.Length > key.Length ? path[(key.Length + 1)..] : "";
                if (remains.Length == 0)
                {
                    if (modifier is not null)
                    {
                        data[key] = modifier.Apply(data[key]);
                    }

                    whole = true;
                    break;
                }

                rest[remains] = modifier;
            }

            if (!whole)
            {
                Pick(data[key], rest);
            }
        }
    }

    private static IEnumerable<string> SplitTopLevel(string text)
    {
        var depth = 0;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            switch (text[i])
            {
                case '(':
                    depth++;
                    break;
                case ')':
                    depth = Math.Max(0, depth - 1);
                    break;
                case ',' when depth == 0:
                    yield return text[start..i];
                    start = i + 1;
                    break;
            }
        }

        yield return text[start..];
    }
}
