using System.Text.Json.Nodes;
using Basalt.Auth;
using Basalt.Http;
using Basalt.Records;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Basalt.Api;

/// <summary>The one-time password routes of §7.2: <c>request-otp</c> and <c>auth-with-otp</c> (which may be an MFA step, §7.4).</summary>
public static class AuthOtpEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/collections/{collection}");
        group.MapPost("/request-otp", RequestOtpAsync);
        group.MapPost("/auth-with-otp", AuthWithOtpAsync);
    }

    private static async Task<IResult> RequestOtpAsync(
        string collection, HttpContext context, AuthService auth, OtpService otps, RequestBodyReader reader)
    {
        var target = auth.RequireAuthCollection(collection);
        var body = await reader.ReadAsync(context.Request, context.RequestAborted);
        var otpId = await otps.RequestAsync(target, BodyText.Required(context.Request, body, "email"), context.RequestAborted);
        return Results.Json(new JsonObject { ["otpId"] = otpId }, ApiJsonContext.Default.JsonObject);
    }

    private static async Task AuthWithOtpAsync(
        string collection, HttpContext context, AuthService auth, OtpService otps, RequestBodyReader reader, RecordService records,
        SignInService signIns, ClientIpResolver ips)
    {
        var target = auth.RequireAuthCollection(collection);
        var picker = FieldsPicker.Parse(context.Request.Query["fields"]);
        var body = await reader.ReadAsync(context.Request, context.RequestAborted);
        var otpId = BodyText.Required(context.Request, body, "otpId");
        var password = BodyText.Required(context.Request, body, "password");
        var record = await otps.AuthWithOtpAsync(target, otpId, password, context.RequestAborted);
        var token = await signIns.CompleteAsync(await SignInRequest.CreateAsync(context, body, ips, record, "otp"), context.RequestAborted);
        await AuthResponse.WriteAsync(context, picker, records, token, record);
    }
}
