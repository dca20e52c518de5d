using Basalt.Http;
using Basalt.Query;
using Microsoft.AspNetCore.Http;

namespace Basalt.Api;

/// <summary>Builds the <see cref="RequestInfo"/> rules read from an HTTP request; the body is added by the service once resolved.</summary>
public static class RequestInfoFactory
{
    public static RequestInfo Create(HttpContext context, string requestContext = "default")
    {
        var query = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, values) in context.Request.Query)
        {
            query[key] = values.Count > 0 ? values[0] ?? "" : "";
        }

        var headers = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, values) in context.Request.Headers)
        {
            headers[key.ToLowerInvariant().Replace('-', '_')] = values.Count > 0 ? values[0] ?? "" : "";
        }

        return new RequestInfo
        {
            Method = context.Request.Method,
            Query = query,
            Headers = headers,
            Auth = context.GetAuthRecord(),
            Context = requestContext,
        };
    }
}
