using System.Text.Json.Nodes;
using Basalt.Crons;
using Basalt.Errors;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Basalt.Api;

/// <summary><c>/api/crons</c> (§11), superusers only: the scheduled jobs, and <c>POST /{id}</c> to run one now in the background.</summary>
public static class CronsEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/crons");
        group.AddEndpointFilter(async (context, next) =>
        {
            CollectionsEndpoints.RequireSuperuser(context.HttpContext);
            return await next(context);
        });
        group.MapGet("", ListAsync);
        group.MapPost("/{id}", RunAsync);
    }

    private static async Task ListAsync(HttpContext context, CronScheduler crons)
    {
        var jobs = await crons.ListAsync(context.RequestAborted);
        await CollectionsEndpoints.WriteAsync(context, new JsonArray(jobs.Select(j => (JsonNode)new JsonObject { ["id"] = j.Id, ["expression"] = j.Expression }).ToArray()));
    }

    private static async Task<IResult> RunAsync(HttpContext context, string id, CronScheduler crons) =>
        await crons.RunNowAsync(id, context.RequestAborted) ? Results.NoContent() : throw ApiError.NotFound("Missing or invalid cron job.");
}
