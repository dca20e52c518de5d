using System.Text.Json.Nodes;

namespace Basalt.Errors;

/// <summary>
/// Collects validation errors under dotted paths (<c>fields.2.name</c>, <c>rateLimits.rules.0.label</c>) and nests them
/// as PocketBase does (<c>{"fields":{"2":{"name":{code,message}}}}</c>). The first error at a path wins.
/// </summary>
internal sealed class NestedErrors
{
    private readonly JsonObject _root = [];

    public bool IsEmpty => _root.Count == 0;

    public JsonObject ToJson() => _root;

    public static string Path(string parent, string key) => parent.Length == 0 ? key : parent + "." + key;

    public static string Path(string parent, int index) => parent + "." + index.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public void Add(string path, string code, string message)
    {
        var segments = path.Split('.');
        var node = _root;
        for (var i = 0; i < segments.Length - 1; i++)
        {
            if (node[segments[i]] is not JsonObject child)
            {
                if (node.ContainsKey(segments[i]))
                {
                    return;
                }

                child = [];
                node[segments[i]] = child;
            }
            else if (child.ContainsKey("code"))
            {
                return;
            }

            node = child;
        }

        var last = segments[^1];
        if (!node.ContainsKey(last))
        {
            node[last] = ValidationErrors.Leaf(code, message, null);
        }
    }

    /// <summary>True when an error was recorded at <paramref name="path"/> or below it.</summary>
    public bool Has(string path)
    {
        JsonNode? node = _root;
        foreach (var segment in path.Split('.'))
        {
            node = (node as JsonObject)?[segment];
            if (node is null)
            {
                return false;
            }
        }

        return true;
    }

    public void ThrowIfAny(string message)
    {
        if (!IsEmpty)
        {
            throw ApiError.BadRequest(message, _root);
        }
    }
}
