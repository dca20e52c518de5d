using Basalt.Auth;
using Basalt.Errors;
using Basalt.Records;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Basalt.Api;

/// <summary>
/// The first run in the browser (<see cref="SuperuserInstall"/>): <c>GET /api/superusers/install?token=</c> answers 204
/// while the printed link still works and 404 otherwise; <c>POST /api/superusers/install</c> with
/// <c>{token, email, password, passwordConfirm}</c> creates the first superuser and answers as a superuser's
/// auth-with-password does (<c>{token, record}</c>), so the browser is signed in.
/// </summary>
public static class InstallEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/superusers/install");
        group.MapMethods("", ["GET", "HEAD"], (HttpContext context, SuperuserInstall install) =>
            install.IsUsable(context.Request.Query["token"]) ? Results.NoContent() : throw ApiError.NotFound(SuperuserInstall.InvalidToken));
        group.MapPost("", InstallAsync);
    }

    private static async Task InstallAsync(
        HttpContext context, SuperuserInstall install, RequestBodyReader reader, TokenService tokens, RecordService records)
    {
        var body = await reader.ReadAsync(context.Request, context.RequestAborted);
        var record = await install.InstallAsync(
            BodyText.Read(context.Request, body, "token"),
            BodyText.Required(context.Request, body, "email"),
            BodyText.Required(context.Request, body, "password"),
            BodyText.Required(context.Request, body, "passwordConfirm"),
            context.RequestAborted);
        await AuthResponse.WriteAsync(context, FieldsPicker.Parse(context.Request.Query["fields"]), records, tokens.CreateAuthToken(record), record);
    }
}
