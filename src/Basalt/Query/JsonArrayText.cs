using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Basalt.Query;

/// <summary>
/// The JSON text of a submitted list as a plain multi-value compares (<c>["a","b"]</c>): written exactly as
/// <see cref="Storage.ISqlDialect.AppendJsonArrayText"/> rebuilds a stored one, so a submitted list equals the stored
/// list with the same items.
/// </summary>
internal static class JsonArrayText
{
    public static string Of(JsonArray array)
    {
        var text = new StringBuilder("[");
        for (var i = 0; i < array.Count; i++)
        {
            text.Append(i == 0 ? "" : ",");
            if (array[i] is JsonValue value && value.TryGetValue<string>(out var s))
            {
                AppendString(text, s);
            }
            else
            {
                text.Append(array[i]?.ToJsonString() ?? "null");
            }
        }

        return text.Append(']').ToString();
    }

    // SQLite's json_quote and PostgreSQL's jsonb output escape the same characters, with lower-case hex.
    private static void AppendString(StringBuilder text, string value)
    {
        text.Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"':
                    text.Append("\\\"");
                    break;
                case '\\':
                    text.Append("\\\\");
                    break;
                case '\b':
                    text.Append("\\b");
                    break;
                case '\f':
                    text.Append("\\f");
                    break;
                case '\n':
                    text.Append("\\n");
                    break;
                case '\r':
                    text.Append("\\r");
                    break;
                case '\t':
                    text.Append("\\t");
                    break;
                case < ' ':
                    text.Append("\\u00").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture));
                    break;
                default:
                    text.Append(c);
                    break;
            }
        }

        text.Append('"');
    }
}
