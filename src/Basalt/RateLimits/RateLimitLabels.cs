using Basalt.Collections;

namespace Basalt.RateLimits;

/// <summary>
/// The labels a request answers to (§1.6), from the most to the least specific: <c>&lt;collection&gt;:&lt;tag&gt;</c>
/// for each tag of a records, auth or file route, then <c>*:&lt;tag&gt;</c>, then <c>METHOD /path</c> and <c>/path</c>.
/// </summary>
public static class RateLimitLabels
{
    public const string Auth = "auth";

    // The auth routes under /api/collections/{collection}/ and their tags; the three sign-ins also carry "auth".
    private static readonly Dictionary<(string Method, string Action), string[]> AuthRoutes = new()
    {
        [("GET", "auth-methods")] = ["listAuthMethods"],
        [("POST", "auth-refresh")] = ["authRefresh"],
        [("POST", "auth-with-password")] = ["authWithPassword", Auth],
        [("POST", "auth-with-oauth2")] = ["authWithOAuth2", Auth],
        [("POST", "auth-with-otp")] = ["authWithOTP", Auth],
        [("POST", "request-otp")] = ["requestOTP"],
        [("POST", "request-password-reset")] = ["requestPasswordReset"],
        [("POST", "confirm-password-reset")] = ["confirmPasswordReset"],
        [("POST", "request-verification")] = ["requestVerification"],
        [("POST", "confirm-verification")] = ["confirmVerification"],
        [("POST", "request-email-change")] = ["requestEmailChange"],
        [("POST", "confirm-email-change")] = ["confirmEmailChange"],
    };

    public static IReadOnlyList<string> For(string method, string path, ICollectionLookup collections)
    {
        var labels = new List<string>(8);
        var upper = method.ToUpperInvariant();
        if (upper == "HEAD")
        {
            upper = "GET";
        }

        if (Tags(upper, path) is ({ } collection, { } tags))
        {
            var name = collections.Find(collection)?.Name ?? collection;
            labels.AddRange(tags.Select(t => name + ":" + t));
            labels.AddRange(tags.Select(t => "*:" + t));
        }

        labels.Add(upper + " " + path);
        labels.Add(path);
        return labels;
    }

    private static (string? Collection, string[]? Tags) Tags(string method, string path)
    {
        var s = path.Split('/');

        // s[0] is "" because the path starts with "/".
        if (s.Length >= 5 && s[1] == "api" && s[2] == "collections" && s[3].Length > 0)
        {
            var collection = Uri.UnescapeDataString(s[3]);
            if (s[4] == "records" && s.Length == 5)
            {
                return method switch { "GET" => (collection, ["list"]), "POST" => (collection, ["create"]), _ => default };
            }

            if (s[4] == "records" && s.Length == 6 && s[5].Length > 0)
            {
                return method switch
                {
                    "GET" => (collection, ["view"]),
                    "PATCH" => (collection, ["update"]),
                    "DELETE" => (collection, ["delete"]),
                    _ => default,
                };
            }

            if (s.Length == 5 && AuthRoutes.TryGetValue((method, s[4]), out var tags))
            {
                return (collection, tags);
            }
        }

        if (s.Length == 6 && s[1] == "api" && s[2] == "files" && method == "GET" && s[3].Length > 0)
        {
            return (Uri.UnescapeDataString(s[3]), ["file"]);
        }

        return default;
    }
}
