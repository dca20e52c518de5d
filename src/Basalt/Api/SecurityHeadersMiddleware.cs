using Microsoft.AspNetCore.Http;

namespace Basalt.Api;

/// <summary>
/// Adds the security headers of §1.1 to every response. They are added when the response starts, so error envelopes
/// written after the exception handler cleared the response still carry them.
/// </summary>
internal sealed class SecurityHeadersMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        context.Response.OnStarting(
            static state =>
            {
                var context = (HttpContext)state;
                var headers = context.Response.Headers;
                headers["X-XSS-Protection"] = "1; mode=block";
                headers.XContentTypeOptions = "nosniff";
                if (context.GetEndpoint()?.Metadata.GetMetadata<AllowFraming>() is null)
                {
                    headers.XFrameOptions = "SAMEORIGIN";
                }
                return Task.CompletedTask;
            },
            context);
        return next(context);
    }
}
