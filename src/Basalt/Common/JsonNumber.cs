using System.Text.Json;
using System.Text.Json.Nodes;

namespace Basalt.Common;

/// <summary>
/// Reads a JSON number whatever CLR type backs it: values parsed from text hold a JsonElement, while values built in code
/// hold an int, long or double, and <c>TryGetValue&lt;double&gt;</c> alone only accepts the first and the last.
/// </summary>
public static class JsonNumber
{
    public static bool TryGet(JsonNode? node, out double value)
    {
        value = 0;
        if (node is not JsonValue v || v.GetValueKind() != JsonValueKind.Number)
        {
            return false;
        }

        if (v.TryGetValue(out double d))
        {
            value = d;
        }
        else if (v.TryGetValue(out long l))
        {
            value = l;
        }
        else if (v.TryGetValue(out int i))
        {
            value = i;
        }
        else if (v.TryGetValue(out decimal m))
        {
            value = (double)m;
        }
        else
        {
            return double.TryParse(v.ToJsonString(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out value);
        }

        return true;
    }

    public static double? Get(JsonNode? node) => TryGet(node, out var value) ? value : null;
}
