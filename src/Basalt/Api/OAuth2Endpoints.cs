using System.Text.Json.Nodes;
using Basalt.Auth;
using Basalt.Auth.OAuth2;
using Basalt.Common;
using Basalt.Errors;
using Basalt.Http;
using Basalt.Records;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Basalt.Api;

/// <summary><c>POST /api/collections/{c}/auth-with-oauth2</c> (§7.2, §7.3): the code exchange with PKCE, ending as every sign-in does.</summary>
public static class OAuth2Endpoints
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPost("/collections/{collection}/auth-with-oauth2", AuthWithOAuth2Async);

    private static async Task AuthWithOAuth2Async(
        string collection,
        HttpContext context,
        AuthService auth,
        RequestBodyReader reader,
        OAuth2SignInService oauth2,
        SignInService signIns,
        RecordService records,
        ClientIpResolver ips)
    {
        var target = auth.RequireAuthCollection(collection);
        OAuth2SignInService.EnsureEnabled(target);
        var picker = FieldsPicker.Parse(context.Request.Query["fields"]);
        var body = await reader.ReadAsync(context.Request, context.RequestAborted);
        string Text(string key) => BodyText.Required(context.Request, body, key);

        // redirectUrl is the pre-0.23 spelling older SDKs still send.
        var redirectUrl = Text("redirectURL");
        var exchange = new OAuth2Exchange(Text("provider"), Text("code"), Text("codeVerifier"), redirectUrl.Length > 0 ? redirectUrl : Text("redirectUrl"));
        var createData = body["createData"] switch
        {
            null => [],
            JsonObject data => data,
            _ => throw ApiError.BadRequest(ApiError.LoadFailed),
        };

        var request = RequestInfoFactory.Create(context, "oauth2");
        var result = await oauth2.SignInAsync(target, exchange, createData, request, context.RequestAborted);
        var token = await signIns.CompleteAsync(await SignInRequest.CreateAsync(context, body, ips, result.Record, "oauth2"), context.RequestAborted);
        await AuthResponse.WriteAsync(context, picker, records, token, result.Record, Meta(result));
    }

    /// <summary>PocketBase's <c>meta</c>: the provider's user, its tokens, and whether the record was just created.</summary>
    private static JsonObject Meta(OAuth2SignIn result) => new()
    {
        ["id"] = result.User.Id,
        ["name"] = result.User.Name,
        ["username"] = result.User.Username,
        ["email"] = result.User.Email,
        ["avatarURL"] = result.User.AvatarUrl,
        ["avatarUrl"] = result.User.AvatarUrl,
        ["accessToken"] = result.Token.AccessToken,
        ["refreshToken"] = result.Token.RefreshToken,
        ["expiry"] = result.Token.Expiry is { } expiry ? DateFormat.Format(expiry) : "",
        ["rawUser"] = result.User.RawUser.DeepClone(),
        ["isNew"] = result.IsNew,
    };
}
