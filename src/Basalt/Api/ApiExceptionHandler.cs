using System.Text.Json;
using Basalt.Auth;
using Basalt.Errors;
using Basalt.Storage;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Basalt.Api;

/// <summary>Writes every exception as the error envelope; anything unexpected is logged and answered without internals.</summary>
internal sealed class ApiExceptionHandler(ILogger<ApiExceptionHandler> logger) : IExceptionHandler
{

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (httpContext.RequestAborted.IsCancellationRequested)
        {
            // The client went away (whatever the failure looks like from inside); there is nobody to answer.
            return true;
        }

        if (exception is MfaRequiredException mfa && !httpContext.Response.HasStarted)
        {
            // §7.4: the MFA challenge is the one error answered without the envelope; the JS SDK reads response.mfaId.
            httpContext.Response.StatusCode = StatusCodes.Status401Unauthorized;
            await httpContext.Response.WriteAsJsonAsync(new System.Text.Json.Nodes.JsonObject { ["mfaId"] = mfa.MfaId }, ApiJsonContext.Default.JsonObject, cancellationToken: cancellationToken);
            return true;
        }

        var error = ToApiError(exception);
        if (exception is ReadTimeoutException)
        {
            Log.ReadTookTooLong(logger, httpContext.Request.Method, httpContext.Request.Path);
        }

        if (error is null)
        {
            Log.UnhandledException(logger, exception, httpContext.Request.Method, httpContext.Request.Path, httpContext.TraceIdentifier);
            error = ApiError.Internal();
        }

        if (httpContext.Response.HasStarted)
        {
            return true;
        }

        httpContext.Response.StatusCode = error.Status;
        await httpContext.Response.WriteAsJsonAsync(error.ToEnvelope(), ApiJsonContext.Default.JsonObject, cancellationToken: cancellationToken);
        return true;
    }

    /// <summary>
    /// Maps what the framework throws for bad input (unreadable or oversized bodies, failed parameter binding,
    /// malformed JSON or forms) to the 4xx PocketBase answers; null for anything that is our fault.
    /// </summary>
    private static ApiError? ToApiError(Exception exception) => exception switch
    {
        ApiError api => api,
        ReadTimeoutException => ApiError.BadRequest(ApiError.TookTooLong),
        BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } =>
            new ApiError(StatusCodes.Status413PayloadTooLarge, BodyLimitMiddleware.TooLargeMessage),
        BadHttpRequestException bad when bad.StatusCode is >= 400 and < 500 => ApiError.BadRequest(ApiError.LoadFailed),
        JsonException or InvalidDataException or FormatException => ApiError.BadRequest(ApiError.LoadFailed),
        _ => null,
    };
}
