using System.Text.Json.Nodes;
using Basalt.Errors;
using Basalt.Logs;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Basalt.Api;

/// <summary>The superuser-only request logs of §11: list, stats, one log, and delete all (<c>DELETE /api/logs</c>, as PocketBase v0.40).</summary>
public static class LogsEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/logs");
        group.AddEndpointFilter(async (context, next) =>
        {
            CollectionsEndpoints.RequireSuperuser(context.HttpContext);
            return await next(context);
        });

        group.MapMethods("", ["GET", "HEAD"], ListAsync);
        group.MapMethods("/stats", ["GET", "HEAD"], StatsAsync);
        group.MapMethods("/{id}", ["GET", "HEAD"], ViewAsync);
        group.MapDelete("", DeleteAsync);
    }

    private static async Task ListAsync(HttpContext context, LogStore store)
    {
        var query = ListQueryReader.Read(context.Request.Query);
        var page = await store.ListAsync(query, RequestInfoFactory.Create(context), context.RequestAborted);
        await CollectionsEndpoints.WriteAsync(context, new JsonObject
        {
            ["page"] = page.Page,
            ["perPage"] = page.PerPage,
            ["totalItems"] = page.TotalItems,
            ["totalPages"] = page.TotalPages,
            ["items"] = new JsonArray(page.Items.Select(l => (JsonNode)l.ToJson()).ToArray()),
        });
    }

    private static async Task StatsAsync(HttpContext context, LogStore store)
    {
        var stats = await store.StatsAsync(context.Request.Query["filter"], RequestInfoFactory.Create(context), context.RequestAborted);
        await CollectionsEndpoints.WriteAsync(context, new JsonArray(stats.Select(s => (JsonNode)new JsonObject { ["date"] = s.Date, ["total"] = s.Total }).ToArray()));
    }

    private static async Task ViewAsync(HttpContext context, string id, LogStore store)
    {
        var entry = await store.FindAsync(id, context.RequestAborted) ?? throw ApiError.NotFound();
        await CollectionsEndpoints.WriteAsync(context, entry.ToJson());
    }

    private static async Task DeleteAsync(HttpContext context, LogStore store)
    {
        await store.DeleteAsync(null, context.RequestAborted);
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }
}
