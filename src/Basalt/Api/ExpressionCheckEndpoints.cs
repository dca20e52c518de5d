using System.Text.Json.Nodes;
using Basalt.Collections;
using Basalt.Errors;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Basalt.Api;

/// <summary>
/// The rule editor's routes (superusers only): <c>POST /api/collections/meta/check</c> compiles a rule or filter as
/// it is typed; <c>GET /api/collections/meta/fields?collection=</c> lists the names it may use. Both are literal
/// routes, which ASP.NET routing ranks above <c>/api/collections/{idOrName}</c>, and neither shadows a route a
/// collection named "meta" uses (<c>/{idOrName}</c> has no <c>check</c> or <c>fields</c> child).
/// </summary>
public static class ExpressionCheckEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/collections/meta");
        group.AddEndpointFilter(async (context, next) =>
        {
            CollectionsEndpoints.RequireSuperuser(context.HttpContext);
            return await next(context);
        });
        group.MapPost("/check", CheckAsync);
        group.MapMethods("/fields", ["GET", "HEAD"], (HttpContext context, ExpressionChecker checker) =>
            CollectionsEndpoints.WriteAsync(context, checker.Names(context.Request.Query["collection"].ToString())));
    }

    private static async Task CheckAsync(HttpContext context, ExpressionChecker checker, RequestBodyReader reader)
    {
        var body = await reader.ReadAsync(context.Request, context.RequestAborted);
        var kind = BodyText.Read(context.Request, body, "kind");
        if (kind is not ("rule" or "filter"))
        {
            throw ApiError.Field(ExpressionChecker.CheckFailed, "kind", "validation_in_invalid", "Must be \"rule\" or \"filter\".");
        }

        var expression = BodyText.Read(context.Request, body, "expression") ?? "";
        var failure = checker.Check(body["collection"], kind == "rule", expression, RequestInfoFactory.Create(context));
        var answer = failure is { } f
            ? new JsonObject { ["valid"] = false, ["message"] = f.Message, ["position"] = f.Position }
            : new JsonObject { ["valid"] = true };
        await CollectionsEndpoints.WriteAsync(context, answer);
    }
}
