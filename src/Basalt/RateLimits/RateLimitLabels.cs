using System.Globalization;
using System.Runtime.CompilerServices;
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

    private static readonly string[] ListTags = ["list"];
    private static readonly string[] CreateTags = ["create"];
    private static readonly string[] ViewTags = ["view"];
    private static readonly string[] UpdateTags = ["update"];
    private static readonly string[] DeleteTags = ["delete"];
    private static readonly string[] FileTags = ["file"];

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
                        var value = Convert.ToString(values[parameter.Name], CultureInfo.InvariantCulture) ?? "";
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
        var tags = TagsOf(method, s.AsSpan(1));
        return tags is null ? default : (Uri.UnescapeDataString(s[3]), tags);
    }

    /// <summary>
    /// The tags of a routed request, read from its route's segments and values without spelling its path, so a request
    /// that carries no tag a rule names costs no labels at all: empty when it carries none, null when its route has a
    /// segment of several parts or a value holding <c>/</c>, which only <see cref="For(HttpContext, ICollectionLookup)"/> reads right.
    /// </summary>
    internal static string[]? TagsOf(HttpContext context)
    {
        if (context.GetEndpoint() is not RouteEndpoint endpoint)
        {
            return null;
        }

        var values = context.Request.RouteValues;
        var pattern = endpoint.RoutePattern.PathSegments;
        var segments = new Segments();
        var count = 0;
        for (var i = 0; i < pattern.Count; i++)
        {
            var parts = pattern[i].Parts;
            if (parts.Count != 1)
            {
                return null;
            }

            var text = parts[0] switch
            {
                RoutePatternLiteralPart literal => literal.Content,
                RoutePatternParameterPart { IsCatchAll: false } parameter => Convert.ToString(values[parameter.Name], CultureInfo.InvariantCulture)?.Trim('/') ?? "",
                _ => null,
            };
            if (text is null || text.Contains('/', StringComparison.Ordinal))
            {
                return null;
            }

            // RoutePath leaves empty segments out; no route with tags has more segments than the buffer holds.
            if (text.Length > 0)
            {
                if (count == Segments.Length)
                {
                    return [];
                }

                segments[count++] = text;
            }
        }

        // Only known methods carry tags, and the canonical spelling of a known one is its upper case.
        var method = context.Request.Method;
        method = HttpMethods.IsHead(method) ? HttpMethods.Get : HttpMethods.GetCanonicalizedValue(method);
        return TagsOf(method, ((ReadOnlySpan<string>)segments)[..count]) ?? [];
    }

    /// <summary>The tags of a path given as its segments after the leading <c>/</c>; null when it has none.</summary>
    private static string[]? TagsOf(string method, ReadOnlySpan<string> s)
    {
        if (s.Length >= 4 && s[0] == "api" && s[1] == "collections" && s[2].Length > 0)
        {
            if (s[3] == "records" && s.Length == 4)
            {
                return method switch { "GET" => ListTags, "POST" => CreateTags, _ => null };
            }

            if (s[3] == "records" && s.Length == 5 && s[4].Length > 0)
            {
                return method switch
                {
                    "GET" => ViewTags,
                    "PATCH" => UpdateTags,
                    "DELETE" => DeleteTags,
                    _ => null,
                };
            }

            if (s.Length == 4 && AuthRoutes.TryGetValue((method, s[3]), out var tags))
            {
                return tags;
            }
        }

        return s.Length == 5 && s[0] == "api" && s[1] == "files" && method == "GET" && s[2].Length > 0 ? FileTags : null;
    }

    /// <summary>Room for the segments of the longest path with tags (a file: api, files, collection, record, name).</summary>
    [InlineArray(Length)]
    private struct Segments
    {
        public const int Length = 5;

        private string _first;
    }
}
