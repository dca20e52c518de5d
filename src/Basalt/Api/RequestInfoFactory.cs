using System.Collections;
using System.Diagnostics.CodeAnalysis;
using Basalt.Http;
using Basalt.Query;
using Microsoft.AspNetCore.Http;

namespace Basalt.Api;

/// <summary>Builds the <see cref="RequestInfo"/> rules read from an HTTP request; the body is added by the service once resolved.</summary>
public static class RequestInfoFactory
{
    public static RequestInfo Create(HttpContext context, string requestContext = "default") => new()
    {
        Method = context.Request.Method,
        Query = new RequestMap(context, QueryOf),
        Headers = new RequestMap(context, HeadersOf),
        Auth = context.GetAuthRecord(),
        Context = requestContext,
    };

    private static Dictionary<string, string> QueryOf(HttpContext context)
    {
        var query = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, values) in context.Request.Query)
        {
            query[key] = values.Count > 0 ? values[0] ?? "" : "";
        }

        return query;
    }

    private static Dictionary<string, string> HeadersOf(HttpContext context)
    {
        var headers = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, values) in context.Request.Headers)
        {
            headers[key.ToLowerInvariant().Replace('-', '_')] = values.Count > 0 ? values[0] ?? "" : "";
        }

        return headers;
    }

    /// <summary>
    /// <c>@request.query</c> or <c>@request.headers</c>, copied from the request the first time a rule or filter reads
    /// it: most requests run no rule that does, and copying every header (names folded to snake case) on each of them
    /// was a measurable share of a read. Only read while the request runs, as every <see cref="RequestInfo"/> from here is.
    /// </summary>
    private sealed class RequestMap(HttpContext context, Func<HttpContext, Dictionary<string, string>> copy) : IReadOnlyDictionary<string, string>
    {
        private Dictionary<string, string>? _values;

        private Dictionary<string, string> Values => _values ??= copy(context);

        public int Count => Values.Count;

        public IEnumerable<string> Keys => Values.Keys;

        IEnumerable<string> IReadOnlyDictionary<string, string>.Values => Values.Values;

        public string this[string key] => Values[key];

        public bool ContainsKey(string key) => Values.ContainsKey(key);

        public bool TryGetValue(string key, [MaybeNullWhen(false)] out string value) => Values.TryGetValue(key, out value);

        public IEnumerator<KeyValuePair<string, string>> GetEnumerator() => Values.GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
