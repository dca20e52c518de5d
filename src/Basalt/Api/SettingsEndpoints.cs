using System.Text.Json.Nodes;
using Basalt.Auth;
using Basalt.Errors;
using Basalt.Files;
using Basalt.Http;
using Basalt.Model;
using Basalt.Settings;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Basalt.Api;

/// <summary>
/// The superuser-only settings routes of §11: <c>GET</c> and <c>PATCH /api/settings</c>, and the checks
/// <c>POST /api/settings/test/email</c> and <c>POST /api/settings/test/s3</c>.
/// </summary>
public static class SettingsEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/settings");
        group.AddEndpointFilter(async (context, next) =>
        {
            var auth = context.HttpContext.GetAuthRecord() ?? throw ApiError.Unauthorized(CollectionsEndpoints.MissingAuth);
            if (auth.Collection.Name != SystemCollections.Superusers)
            {
                throw ApiError.Forbidden(CollectionsEndpoints.NotSuperuser);
            }

            return await next(context);
        });
        group.MapMethods("", ["GET", "HEAD"], async (HttpContext context, SettingsService settings) =>
            await WriteAsync(context, await settings.GetAsync(context.RequestAborted)));
        group.MapPatch("", async (HttpContext context, SettingsService settings, RequestBodyReader reader) =>
        {
            var body = await reader.ReadAsync(context.Request, context.RequestAborted);
            await WriteAsync(context, await settings.PatchAsync(body, context.RequestAborted));
        });
        group.MapPost("/test/email", TestEmailAsync);
        group.MapPost("/test/s3", TestS3Async);
    }

    private static async Task<IResult> TestS3Async(HttpContext context, RequestBodyReader reader, S3StorageCheck check)
    {
        var body = await reader.ReadAsync(context.Request, context.RequestAborted);
        await check.RunAsync(Text(body, "filesystem"), context.RequestAborted);
        return Results.NoContent();
    }

    private static async Task<IResult> TestEmailAsync(
        HttpContext context, RequestBodyReader reader, AuthService auth, AuthEmailService emails)
    {
        var body = await reader.ReadAsync(context.Request, context.RequestAborted);
        var collection = auth.RequireAuthCollection(Text(body, "collection") is { Length: > 0 } name ? name : SystemCollections.Superusers);
        await emails.SendTestAsync(collection, Text(body, "template") ?? "", Text(body, "email") ?? "", context.RequestAborted);
        return Results.NoContent();
    }

    private static string? Text(JsonObject body, string key) =>
        body[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    private static Task WriteAsync(HttpContext context, AppSettings settings) =>
        RecordsEndpoints.WriteAsync(context, null, writer => settings.ToJson(includeSecrets: false).WriteTo(writer));
}
