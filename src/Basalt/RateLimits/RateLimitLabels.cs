using System.Text;
using Basalt.Model;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;

namespace Basalt.RateLimits;

/// <summary>
/// The labels a request answers to (§1.6), from the most to the least specific: <c>&lt;collection&gt;:&lt;tag&gt;</c>
/// for each tag of a records, auth or file route, then <c>*:&lt;tag&gt;</c>, then <c>METHOD /path</c> and <c>/path</c>.
/// The path is the route the request was dispatched to, not the text the client sent: routing ignores letter case and
/// a trailing slash, so matching the raw text would let <c>/API/…</c> or <c>…/auth-with-password/</c> dodge every rule.
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

    /// <summary>The labels of a request that has been routed (the middleware runs after <c>UseRouting</c>).</summary>
    public static IReadOnlyList<string> For(HttpContext context, ICollectionLookup collections)
    {
        var path = context.GetEndpoint() is RouteEndpoint endpoint
            ? RoutePath(endpoint.RoutePattern, context.Request.RouteValues, collections)
            : context.Request.Path.Value ?? "/";
        return For(context.Request.Method, path, collections);
    }

    /// <summary>The labels of <paramref name="path"/>, which must be canonical (as <see cref="RoutePath"/> spells it).</summary>
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

    /// <summary>
    /// The path of the matched route spelled canonically: its literal segments as the route declares them, each
    /// parameter's value from routing (a collection by its own name), no empty segments and no trailing slash.
    /// </summary>
    internal static string RoutePath(RoutePattern pattern, RouteValueDictionary values, ICollectionLookup collections)
    {
        var path = new StringBuilder(64);
        foreach (var segment in pattern.PathSegments)
        {
            var start = path.Length;
            path.Append('/');
            foreach (var part in segment.Parts)
            {
                switch (part)
                {
                    case RoutePatternLiteralPart literal:
                        path.Append(literal.Content);
                        break;
                    case RoutePatternSeparatorPart separator:
                        path.Append(separator.Content);
                        break;
                    case RoutePatternParameterPart parameter:
                        var value = Convert.ToString(values[parameter.Name], System.Globalization.CultureInfo.InvariantCulture) ?? "";
                        path.Append(parameter.Name == "collection" && collections.Find(value) is { } collection ? collection.Name : value.Trim('/'));
                        break;
                }
            }

            if (path.Length == start + 1)
            {
                path.Length = start;
            }
        }

        return path.Length == 0 ? "/" : path.ToString();
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
