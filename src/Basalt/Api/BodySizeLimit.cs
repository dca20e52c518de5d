using Microsoft.AspNetCore.Http;

namespace Basalt.Api;

/// <summary>
/// Endpoint metadata giving a route its own body limit instead of <see cref="ApiOptions.MaxBodySize"/>; read by
/// <see cref="BodyLimitMiddleware"/>, which runs after routing for that reason.
/// </summary>
public sealed class BodySizeLimit(Func<HttpContext, long, long> resolve)
{
    /// <summary>The limit for this request, given the default one.</summary>
    public long For(HttpContext context, long defaultLimit) => resolve(context, defaultLimit);
}
