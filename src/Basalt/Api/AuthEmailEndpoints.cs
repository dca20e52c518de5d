using System.Text.Json.Nodes;
using Basalt.Auth;
using Basalt.Errors;
using Basalt.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Basalt.Api;

/// <summary>
/// The emailed auth routes of §7.2: request/confirm verification, password reset and email change. Every success is 204.
/// </summary>
public static class AuthEmailEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/collections/{collection}");
        group.MapPost("/request-verification", (string collection, HttpContext context, AuthService auth, AuthEmailService emails, RequestBodyReader reader) =>
            RunAsync(context, reader, async body =>
                await emails.RequestVerificationAsync(auth.RequireAuthCollection(collection), BodyText.Required(context.Request, body, "email"), context.RequestAborted)));
        group.MapPost("/confirm-verification", (string collection, HttpContext context, AuthService auth, AuthEmailService emails, RequestBodyReader reader) =>
            RunAsync(context, reader, async body =>
                await emails.ConfirmVerificationAsync(auth.RequireAuthCollection(collection), BodyText.Required(context.Request, body, "token"), context.RequestAborted)));
        group.MapPost("/request-password-reset", (string collection, HttpContext context, AuthService auth, AuthEmailService emails, RequestBodyReader reader) =>
            RunAsync(context, reader, async body =>
                await emails.RequestPasswordResetAsync(auth.RequireAuthCollection(collection), BodyText.Required(context.Request, body, "email"), context.RequestAborted)));
        group.MapPost("/confirm-password-reset", (string collection, HttpContext context, AuthService auth, AuthEmailService emails, RequestBodyReader reader) =>
            RunAsync(context, reader, async body => await emails.ConfirmPasswordResetAsync(
                auth.RequireAuthCollection(collection),
                BodyText.Required(context.Request, body, "token"),
                BodyText.Required(context.Request, body, "password"),
                BodyText.Required(context.Request, body, "passwordConfirm"),
                context.RequestAborted)));
        group.MapPost("/request-email-change", (string collection, HttpContext context, AuthService auth, AuthEmailService emails, RequestBodyReader reader) =>
            RunAsync(context, reader, async body =>
            {
                var target = auth.RequireAuthCollection(collection);
                var record = context.GetAuthRecord() ?? throw ApiError.Unauthorized(CollectionsEndpoints.MissingAuth);
                if (record.Collection.Id != target.Id)
                {
                    throw ApiError.Forbidden();
                }

                await emails.RequestEmailChangeAsync(record, BodyText.Required(context.Request, body, "newEmail"), context.RequestAborted);
            }));
        group.MapPost("/confirm-email-change", (string collection, HttpContext context, AuthService auth, AuthEmailService emails, RequestBodyReader reader) =>
            RunAsync(context, reader, async body => await emails.ConfirmEmailChangeAsync(
                auth.RequireAuthCollection(collection),
                BodyText.Required(context.Request, body, "token"),
                BodyText.Required(context.Request, body, "password"),
                context.RequestAborted)));
    }

    private static async Task<IResult> RunAsync(HttpContext context, RequestBodyReader reader, Func<JsonObject, Task> action)
    {
        var body = await reader.ReadAsync(context.Request, context.RequestAborted);
        await action(body);
        return Results.NoContent();
    }
}
