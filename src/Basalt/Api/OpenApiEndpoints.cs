using Basalt.Errors;
using Basalt.Http;
using Basalt.Model;
using Basalt.OpenApi;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace Basalt.Api;

/// <summary>
/// <c>GET /api/openapi.json</c>: the live OpenAPI 3.1 document. Superusers get all of it; others get the public document
/// only when the host allows it (<c>--openapi public</c>), since it names every collection and field they may call.
/// </summary>
public static class OpenApiEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapMethods("/openapi.json", ["GET", "HEAD"], Document);
    }

    private static IResult Document(HttpContext context, OpenApiDocuments documents, IOptions<ApiOptions> options)
    {
        var auth = context.GetAuthRecord();
        var superuser = auth?.Collection.Name == SystemCollections.Superusers;
        if (!superuser && !options.Value.PublicOpenApi)
        {
            throw auth is null ? ApiError.Unauthorized(CollectionsEndpoints.MissingAuth) : ApiError.Forbidden(CollectionsEndpoints.NotSuperuser);
        }

        context.Response.Headers.CacheControl = "no-cache";
        return Results.Bytes(documents.Get(superuser), "application/json");
    }
}
