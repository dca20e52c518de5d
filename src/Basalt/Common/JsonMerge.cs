using System.Text.Json.Nodes;

namespace Basalt.Common;

/// <summary>
/// Merges a PATCH body onto a collection's JSON the way PocketBase decodes a body onto an existing model: objects merge
/// key by key, everything else (arrays included, so <c>fields</c> and <c>indexes</c>) is replaced.
/// </summary>
internal static class JsonMerge
{
    public static JsonObject Merge(JsonObject target, JsonObject patch)
    {
        var result = (JsonObject)target.DeepClone();
        Apply(result, patch);
        KeepProviderSecrets(target, result);
        return result;
    }

    private static void Apply(JsonObject target, JsonObject patch)
    {
        foreach (var (key, value) in patch)
        {
            if (value is JsonObject patchObject && target[key] is JsonObject targetObject)
            {
                Apply(targetObject, patchObject);
            }
            else
            {
                target[key] = value?.DeepClone();
            }
        }
    }

    /// <summary>Clients never see OAuth2 client secrets, so a provider sent back without one keeps the stored secret.</summary>
    private static void KeepProviderSecrets(JsonObject before, JsonObject after)
    {
        if (before["oauth2"]?["providers"] is not JsonArray old || after["oauth2"]?["providers"] is not JsonArray current)
        {
            return;
        }

        foreach (var provider in current.OfType<JsonObject>())
        {
            if (provider.ContainsKey("clientSecret"))
            {
                continue;
            }

            var name = provider["name"]?.ToString();
            var match = old.OfType<JsonObject>().FirstOrDefault(p => p["name"]?.ToString() == name);
            if (match?["clientSecret"] is { } secret)
            {
                provider["clientSecret"] = secret.DeepClone();
            }
        }
    }
}
