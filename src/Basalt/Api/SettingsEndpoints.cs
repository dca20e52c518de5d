using Basalt.Collections;
using Basalt.Settings;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Basalt.Api;

/// <summary>The superuser-only settings routes of §11: <c>GET</c> and <c>PATCH /api/settings</c>.</summary>
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
    }

    private static Task WriteAsync(HttpContext context, AppSettings settings) =>
        RecordsEndpoints.WriteAsync(context, null, writer => settings.ToJson(includeSecrets: false).WriteTo(writer));
}
