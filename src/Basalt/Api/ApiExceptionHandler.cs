using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Basalt.Api;

/// <summary>Writes every exception as the error envelope; anything unexpected is logged and answered without internals.</summary>
internal sealed class ApiExceptionHandler(ILogger<ApiExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var error = exception as ApiError;
        if (error is null)
        {
            logger.LogError(exception, "Unhandled error for {Method} {Path} ({TraceId})", httpContext.Request.Method, httpContext.Request.Path, httpContext.TraceIdentifier);
            error = ApiError.Internal();
        }

        if (httpContext.Response.HasStarted)
        {
            return true;
        }

        httpContext.Response.StatusCode = error.Status;
        await httpContext.Response.WriteAsJsonAsync(error.ToEnvelope(), cancellationToken);
        return true;
    }
}
