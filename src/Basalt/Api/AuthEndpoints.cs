using System.Text.Json.Nodes;
using Basalt.Auth;
using Basalt.Collections;
using Basalt.Records;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Basalt.Api;

/// <summary>The auth routes of §7.2 that every auth collection has: <c>auth-with-password</c> and <c>auth-refresh</c>.</summary>
public static class AuthEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/collections/{collection}");
        group.MapPost("/auth-with-password", AuthWithPasswordAsync);
        group.MapPost("/auth-refresh", AuthRefresh);
    }

    private static async Task<IResult> AuthWithPasswordAsync(string collection, HttpContext context, AuthService auth, CancellationToken cancellationToken)
    {
        var target = auth.RequireAuthCollection(collection);
        var body = await AuthRequestBody.ReadAsync(context.Request, cancellationToken);
        var credentials = new PasswordCredentials(
            AuthRequestBody.GetString(body, "identity") ?? "",
            AuthRequestBody.GetString(body, "password") ?? "",
            AuthRequestBody.GetString(body, "identityField"));
        var record = await auth.AuthWithPasswordAsync(target, credentials, cancellationToken);
        return AuthResponse(auth.CreateToken(record), record);
    }

    private static IResult AuthRefresh(string collection, HttpContext context, AuthService auth)
    {
        var token = context.GetAuthToken() ?? throw ApiError.Unauthorized("The request requires valid record authorization token.");
        var own = token.Record.Collection;
        if (!string.Equals(own.Id, collection, StringComparison.Ordinal)
            && !string.Equals(own.Name, collection, StringComparison.OrdinalIgnoreCase))
        {
            throw ApiError.Forbidden();
        }

        return AuthResponse(auth.Refresh(token), token.Record);
    }

    private static IResult AuthResponse(string token, Record record) =>
        Results.Json(new JsonObject { ["token"] = token, ["record"] = PublicJson(record) });

    /// <summary>
    /// The signed-in record as its owner sees it: email always, never password or tokenKey; superusers also get hidden
    /// fields. Until the records serializer lands this writes the canonical values directly.
    /// </summary>
    private static JsonObject PublicJson(Record record)
    {
        var collection = record.Collection;
        var isSuperuser = collection.Name == SystemCollections.Superusers;
        var json = new JsonObject { ["collectionId"] = collection.Id, ["collectionName"] = collection.Name };
        foreach (var field in collection.Fields)
        {
            if (field.Type == FieldType.Password || field.Name == "tokenKey" || (field.Hidden && !isSuperuser && field.Name != "email"))
            {
                continue;
            }

            json[field.Name] = ToNode(record.Get(field.Name));
        }

        return json;
    }

    private static JsonNode? ToNode(object? value) => value switch
    {
        null => null,
        JsonNode node => node.DeepClone(),
        List<string> list => new JsonArray([.. list.Select(s => (JsonNode?)JsonValue.Create(s))]),
        string s => JsonValue.Create(s),
        bool b => JsonValue.Create(b),
        double d => JsonValue.Create(d),
        long l => JsonValue.Create(l),
        _ => JsonValue.Create(value.ToString()),
    };
}
