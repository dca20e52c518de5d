using System.Text.Json.Nodes;
using Basalt.Collections;
using Basalt.Errors;
using Basalt.Http;
using Basalt.Model;
using Basalt.Records;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Basalt.Api;

/// <summary>
/// <c>/api/collections</c> (§3), superusers only: list, view, create, update, delete, truncate, import, scaffolds,
/// OAuth2 providers and view dry-runs. Literal routes (<c>meta/…</c>, <c>import</c>) outrank <c>{idOrName}</c>.
/// </summary>
public static class CollectionsEndpoints
{
    public const string MissingAuth = "The request requires valid record authorization token.";
    public const string NotSuperuser = "The authorized record is not allowed to perform this action.";

    public static void Map(IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/collections");
        group.AddEndpointFilter(async (context, next) =>
        {
            RequireSuperuser(context.HttpContext);
            return await next(context);
        });

        group.MapMethods("", ["GET", "HEAD"], ListAsync);
        group.MapPost("", CreateAsync);
        group.MapPut("/import", ImportAsync);
        group.MapMethods("/meta/scaffolds", ["GET", "HEAD"], (HttpContext context) => WriteAsync(context, CollectionService.Scaffolds()));
        group.MapMethods("/meta/oauth2-providers", ["GET", "HEAD"], (HttpContext context) => WriteAsync(context, OAuth2Providers.ToJson()));
        group.MapPost("/meta/dry-run-view", DryRunViewAsync);
        group.MapMethods("/{idOrName}", ["GET", "HEAD"], (HttpContext context, string idOrName, CollectionService service) =>
            WriteAsync(context, CollectionJson.Write(service.Get(idOrName))));
        group.MapPatch("/{idOrName}", UpdateAsync);
        group.MapDelete("/{idOrName}", DeleteAsync);
        group.MapDelete("/{idOrName}/truncate", TruncateAsync);
    }

    /// <summary>401 for guests, 403 for any auth record that is not a superuser.</summary>
    internal static void RequireSuperuser(HttpContext context)
    {
        var auth = context.GetAuthRecord() ?? throw ApiError.Unauthorized(MissingAuth);
        if (auth.Collection.Name != SystemCollections.Superusers)
        {
            throw ApiError.Forbidden(NotSuperuser);
        }
    }

    private static async Task ListAsync(HttpContext context, CollectionService service)
    {
        var query = ListQueryReader.Read(context.Request.Query);
        var page = await service.ListAsync(query, RequestInfoFactory.Create(context), context.RequestAborted);
        await WriteAsync(context, new JsonObject
        {
            ["page"] = page.Page,
            ["perPage"] = page.PerPage,
            ["totalItems"] = page.TotalItems,
            ["totalPages"] = page.TotalPages,
            ["items"] = new JsonArray(page.Items.Select(c => (JsonNode)CollectionJson.Write(c)).ToArray()),
        });
    }

    private static async Task CreateAsync(HttpContext context, CollectionService service, RequestBodyReader reader)
    {
        var body = await reader.ReadAsync(context.Request, context.RequestAborted);
        await WriteAsync(context, CollectionJson.Write(await service.CreateAsync(body, context.RequestAborted)));
    }

    private static async Task UpdateAsync(HttpContext context, string idOrName, CollectionService service, RequestBodyReader reader)
    {
        var body = await reader.ReadAsync(context.Request, context.RequestAborted);
        await WriteAsync(context, CollectionJson.Write(await service.UpdateAsync(idOrName, body, context.RequestAborted)));
    }

    private static async Task DeleteAsync(HttpContext context, string idOrName, CollectionService service)
    {
        await service.DeleteAsync(idOrName, context.RequestAborted);
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    private static async Task TruncateAsync(HttpContext context, string idOrName, CollectionService service)
    {
        await service.TruncateAsync(idOrName, context.RequestAborted);
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    private static async Task ImportAsync(HttpContext context, CollectionService service, RequestBodyReader reader)
    {
        var body = await reader.ReadAsync(context.Request, context.RequestAborted);
        await service.ImportAsync(body, context.RequestAborted);
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    private static async Task DryRunViewAsync(HttpContext context, CollectionService service, RequestBodyReader reader)
    {
        var body = await reader.ReadAsync(context.Request, context.RequestAborted);
        await WriteAsync(context, await service.DryRunViewAsync(body, context.RequestAborted));
    }

    /// <summary>Writes a 200 JSON answer, applying <c>?fields=</c> (inside <c>items</c> for lists).</summary>
    internal static Task WriteAsync(HttpContext context, JsonNode json) =>
        RecordsEndpoints.WriteAsync(context, FieldsPicker.Parse(context.Request.Query["fields"]), writer => json.WriteTo(writer));

}
