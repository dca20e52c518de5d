using System.Text.Json.Nodes;
using Basalt.Api;

namespace Basalt.Settings;

/// <summary>
/// Collects settings problems under dotted paths (<c>rateLimits.rules.0.label</c>) and nests them into the envelope's
/// <c>data</c> map the way PocketBase does; the first problem of a path wins.
/// </summary>
internal sealed class SettingsErrors
{
    private readonly JsonObject _root = [];

    public bool IsEmpty => _root.Count == 0;

    public static string Path(string parent, string key) => parent.Length == 0 ? key : parent + "." + key;

    public static string Path(string parent, int index) => parent + "." + index.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public void Add(string path, string code, string message)
    {
        var segments = path.Split('.');
        var node = _root;
        foreach (var segment in segments[..^1])
        {
            if (node[segment] is not JsonObject child || IsLeaf(child))
            {
                if (node.ContainsKey(segment))
                {
                    return;
                }

                child = [];
                node[segment] = child;
            }

            node = child;
        }

        if (!node.ContainsKey(segments[^1]))
        {
            node[segments[^1]] = ValidationErrors.Leaf(code, message, null);
        }
    }

    public void ThrowIfAny()
    {
        if (!IsEmpty)
        {
            throw ApiError.BadRequest(AppSettings.FailedToUpdate, _root);
        }
    }

    private static bool IsLeaf(JsonObject node) => node["code"] is JsonValue && node["message"] is JsonValue;
}
