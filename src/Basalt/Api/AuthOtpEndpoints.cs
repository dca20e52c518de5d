using System.Text.Json.Nodes;
using Basalt.Auth;
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
        var otpId = await otps.RequestAsync(target, Text(context, body, "email"), context.RequestAborted);
        return Results.Json(new JsonObject { ["otpId"] = otpId });
    }

    private static async Task AuthWithOtpAsync(
        string collection, HttpContext context, AuthService auth, OtpService otps, RequestBodyReader reader, RecordService records,
        SignInService signIns, ClientIpResolver ips)
    {
        var target = auth.RequireAuthCollection(collection);
        var picker = FieldsPicker.Parse(context.Request.Query["fields"]);
        var body = await reader.ReadAsync(context.Request, context.RequestAborted);
        var otpId = Text(context, body, "otpId");
        var password = Text(context, body, "password");
        var mfaId = Text(context, body, "mfaId") is { Length: > 0 } fromBody ? fromBody : context.Request.Query["mfaId"].ToString();
        var record = await otps.AuthWithOtpAsync(target, otpId, password, context.RequestAborted);
        var signIn = new SignIn(record, "otp", mfaId.Length > 0 ? mfaId : null, await ips.ResolveAsync(context), context.Request.Headers.UserAgent.ToString());
        var token = await signIns.CompleteAsync(signIn, context.RequestAborted);
        await AuthResponse.WriteAsync(context, picker, records, token, record);
    }

    /// <summary>
    /// A string member ("" when absent or null). Form values were inferred into numbers and booleans, and a numeric code is
    /// meant as typed; in JSON any other type is refused naming the member.
    /// </summary>
    private static string Text(HttpContext context, JsonObject body, string key)
    {
        if (!body.TryGetPropertyValue(key, out var node) || node is null)
        {
            return "";
        }

        if (node is JsonValue v && v.TryGetValue<string>(out var s))
        {
            return s;
        }

        return context.Request.HasFormContentType && node is JsonValue scalar
            ? scalar.ToJsonString()
            : throw ApiError.Field(ApiExceptionHandler.LoadFailed, key, "validation_invalid_value", "Must be a string.");
    }
}
