using Basalt.Errors;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace Basalt.Api;

/// <summary>
/// Refuses bodies over <see cref="ApiOptions.MaxBodySize"/> (or the route's own <see cref="BodySizeLimit"/>, such as
/// a record write's, which grows with the collection's file fields) with 413: up front when Content-Length says so,
/// and through the server's own limit while reading a chunked body (which the exception handler turns into the envelope).
/// <c>/api/batch</c> has a limit of its own in the settings (<c>batch.maxBodySize</c>), which its endpoint applies.
/// </summary>
internal sealed class BodyLimitMiddleware(RequestDelegate next, IOptions<ApiOptions> options)
{
    public const string TooLargeMessage = "Request entity too large.";

    public Task InvokeAsync(HttpContext context)
    {
        if (BatchEndpoints.IsBatchPath(context.Request.Path))
        {
            return next(context);
        }

        var limit = options.Value.MaxBodySize;
        if (context.GetEndpoint()?.Metadata.GetMetadata<BodySizeLimit>() is { } routeLimit)
        {
            limit = routeLimit.For(context, limit);
        }

        if (context.Request.ContentLength > limit)
        {
            throw new ApiError(StatusCodes.Status413PayloadTooLarge, TooLargeMessage);
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
        {
            feature.MaxRequestBodySize = limit;
        }

        return next(context);
    }
}
