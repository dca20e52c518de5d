using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Basalt.Model;

namespace Basalt.Auth;

/// <summary>
/// Reads the auth options of §2.6 from <see cref="Collection.Options"/>. The collection engineer fills the defaults;
/// every read here still falls back to PocketBase's default so a partly filled collection keeps working.
/// </summary>
public static class AuthCollectionOptions
{
    public const long DefaultAuthTokenDuration = 432_000;
    public const long SuperuserAuthTokenDuration = 86_400;

    /// <summary>The secret of a token kind (<c>authToken</c>, <c>fileToken</c>, …); "" when the collection has none.</summary>
    public static string TokenSecret(Collection collection, string tokenKind) =>
        Section(collection, tokenKind) is { } section && section["secret"] is JsonValue v && v.TryGetValue<string>(out var s) ? s : "";

    /// <summary>The lifetime of a token kind in seconds.</summary>
    public static long TokenDuration(Collection collection, string tokenKind)
    {
        if (Section(collection, tokenKind) is { } section && Number(section["duration"]) is > 0 and var seconds)
        {
            return (long)seconds;
        }

        return collection.Name == SystemCollections.Superusers ? SuperuserAuthTokenDuration : DefaultAuthTokenDuration;
    }

    public static bool PasswordAuthEnabled(Collection collection) =>
        Section(collection, "passwordAuth") is not { } section
        || section["enabled"] is not JsonValue v
        || !v.TryGetValue<bool>(out var enabled)
        || enabled;

    /// <summary>The fields a sign-in identity is matched against, in order (PocketBase default: email).</summary>
    public static IReadOnlyList<string> IdentityFields(Collection collection)
    {
        if (Section(collection, "passwordAuth") is { } section && section["identityFields"] is JsonArray array)
        {
            var fields = array.OfType<JsonValue>()
                .Select(v => v.TryGetValue<string>(out var s) ? s : null)
                .Where(s => !string.IsNullOrEmpty(s))
                .Select(s => s!)
                .ToList();
            if (fields.Count > 0)
            {
                return fields;
            }
        }

        return ["email"];
    }

    /// <summary>
    /// The <c>authRule</c>: null means nobody may authenticate, "" means every record may. A missing key counts as "",
    /// PocketBase's default.
    /// </summary>
    public static string? AuthRule(Collection collection)
    {
        if (!collection.Options.TryGetPropertyValue("authRule", out var node))
        {
            return "";
        }

        return node is JsonValue v && v.TryGetValue<string>(out var rule) ? rule : null;
    }

    /// <summary>A JSON number whichever CLR type it was built from (options made in code hold ints, parsed ones hold elements).</summary>
    internal static double? Number(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.Number
            ? double.Parse(v.ToJsonString(), CultureInfo.InvariantCulture)
            : null;

    private static JsonObject? Section(Collection collection, string key) =>
        collection.Options.TryGetPropertyValue(key, out var node) ? node as JsonObject : null;
}
