using System.Text.Json.Nodes;
using Basalt.Auth;
using Basalt.Errors;
using Basalt.Http;
using Basalt.Model;
using Basalt.Records;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Basalt.Api;

/// <summary>
/// The auth routes of §7.2 that every auth collection has: <c>auth-methods</c>, <c>auth-with-password</c>,
/// <c>auth-refresh</c> and <c>impersonate</c>.
/// </summary>
public static class AuthEndpoints
{
    private const string ValidationFailed = "An error occurred while validating the submitted data.";

    public static void Map(IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/collections/{collection}");
        group.MapMethods("/auth-methods", ["GET", "HEAD"], AuthMethodsAsync);
        group.MapPost("/auth-with-password", AuthWithPasswordAsync);
        group.MapPost("/auth-refresh", AuthRefreshAsync);
        group.MapPost("/impersonate/{id}", ImpersonateAsync);
    }

    private static Task AuthMethodsAsync(string collection, HttpContext context, AuthService auth)
    {
        var methods = AuthMethods.ToJson(auth.RequireAuthCollection(collection));
        var picker = FieldsPicker.Parse(context.Request.Query["fields"]);
        return RecordsEndpoints.WriteAsync(context, picker, writer => methods.WriteTo(writer));
    }

    private static async Task AuthWithPasswordAsync(
        string collection, HttpContext context, AuthService auth, RequestBodyReader reader, RecordService records, SignInService signIns, ClientIpResolver ips)
    {
        var target = auth.RequireAuthCollection(collection);
        var picker = FieldsPicker.Parse(context.Request.Query["fields"]);
        var body = await reader.ReadAsync(context.Request, context.RequestAborted);
        var credentials = new PasswordCredentials(
            BodyText.Required(context.Request, body, "identity"),
            BodyText.Required(context.Request, body, "password"),
            BodyText.Read(context.Request, body, "identityField"));
        var record = await auth.AuthWithPasswordAsync(target, credentials, context.RequestAborted);
        var token = await signIns.CompleteAsync(await SignInRequest.CreateAsync(context, body, ips, record, "password"), context.RequestAborted);
        await AuthResponse.WriteAsync(context, picker, records, token, record);
    }

    private static async Task AuthRefreshAsync(string collection, HttpContext context, AuthService auth, RecordService records)
    {
        var token = context.GetAuthToken() ?? throw ApiError.Unauthorized("The request requires valid record authorization token.");
        var own = token.Record.Collection;
        if (!string.Equals(own.Id, collection, StringComparison.Ordinal)
            && !string.Equals(own.Name, collection, StringComparison.OrdinalIgnoreCase))
        {
            throw ApiError.Forbidden();
        }

        var picker = FieldsPicker.Parse(context.Request.Query["fields"]);
        await AuthResponse.WriteAsync(context, picker, records, await auth.RefreshAsync(token, context.RequestAborted), token.Record);
    }

    /// <summary>
    /// Superusers only, checked before anything else as PocketBase's route middleware does: 401 for a guest, 403 for
    /// any other auth record. The token is not refreshable, so auth-refresh hands it back unchanged until it expires.
    /// </summary>
    private static async Task ImpersonateAsync(
        string collection, string id, HttpContext context, AuthService auth, RequestBodyReader reader, RecordService records)
    {
        var caller = context.GetAuthRecord() ?? throw ApiError.Unauthorized(CollectionsEndpoints.MissingAuth);
        if (caller.Collection.Name != SystemCollections.Superusers)
        {
            throw ApiError.Forbidden(CollectionsEndpoints.NotSuperuser);
        }

        var target = auth.RequireAuthCollection(collection);
        var picker = FieldsPicker.Parse(context.Request.Query["fields"]);
        var body = await reader.ReadAsync(context.Request, context.RequestAborted);
        var seconds = Duration(body);
        var (record, token) = await auth.ImpersonateAsync(target, id, seconds, context.RequestAborted);
        await AuthResponse.WriteAsync(context, picker, records, token, record);
    }

    /// <summary>
    /// The <c>duration</c> member in whole seconds; absent or null is 0 (the collection default). A non-integer is a
    /// body PocketBase refuses to load; the upper bound is the longest token duration a collection may set.
    /// </summary>
    private static long Duration(JsonObject body)
    {
        if (!body.TryGetPropertyValue("duration", out var node) || node is null)
        {
            return 0;
        }

        if (AuthCollectionOptions.Number(node) is not { } number || number != Math.Floor(number))
        {
            throw ApiError.BadRequest(ApiError.LoadFailed);
        }

        return number switch
        {
            < 0 => throw ApiError.Field(ValidationFailed, "duration", "validation_min_greater_equal_than_required", "Must be no less than 0."),
            > AuthOptions.MaxDuration => throw ApiError.Field(
                ValidationFailed, "duration", "validation_max_less_equal_than_required", $"Must be no greater than {AuthOptions.MaxDuration}."),
            _ => (long)number,
        };
    }
}
