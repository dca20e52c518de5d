using System.Text.Json.Nodes;
using Basalt.Model;
using static Basalt.OpenApi.OpenApiJson;

namespace Basalt.OpenApi;

/// <summary>
/// Builds the OpenAPI 3.1 document of the running server from its collections: the record routes of each collection
/// with its fields as schemas and its rules in words, the auth routes of auth collections, and the fixed routes. The
/// full document is for superusers; <see cref="Audience.Public"/> leaves out the superuser-only routes, the actions
/// whose rule is locked, hidden fields, and collections with nothing left to call.
/// </summary>
internal sealed partial class OpenApiBuilder
{
    private readonly IReadOnlyList<Collection> _collections;
    private readonly bool _full;
    private readonly JsonObject _paths = [];
    private readonly JsonObject _schemas = [];
    private readonly JsonArray _tags = [];

    private OpenApiBuilder(IReadOnlyList<Collection> collections, Audience audience)
    {
        _collections = collections;
        _full = audience == Audience.Superusers;
    }

    /// <summary>Who the document is for.</summary>
    public enum Audience
    {
        Superusers,
        Public,
    }

    public static JsonObject Build(IReadOnlyList<Collection> collections, Audience audience)
    {
        var builder = new OpenApiBuilder(collections, audience);
        builder.AddSharedSchemas();
        foreach (var collection in collections.OrderBy(c => c.System).ThenBy(c => c.Name, StringComparer.Ordinal))
        {
            builder.AddCollection(collection);
        }

        builder.AddFixedRoutes();
        return new JsonObject
        {
            ["openapi"] = "3.1.0",
            ["info"] = new JsonObject
            {
                ["title"] = "Basalt API",
                ["version"] = "1",
                ["description"] = "Generated from the server's collections as they are now; it changes when a collection does. " +
                    "Errors share one envelope (`Error`); send the token of an auth-with-* route as `Authorization` (raw, or with `Bearer `).",
            },
            ["servers"] = new JsonArray(new JsonObject { ["url"] = "/" }),
            ["tags"] = builder._tags,
            ["paths"] = builder._paths,
            ["components"] = new JsonObject
            {
                ["schemas"] = builder._schemas,
                ["responses"] = SharedResponses(),
                ["securitySchemes"] = new JsonObject
                {
                    [Security] = new JsonObject
                    {
                        ["type"] = "http",
                        ["scheme"] = "bearer",
                        ["bearerFormat"] = "JWT",
                        ["description"] = "A token from an auth-with-* route. The raw token without `Bearer ` works too (the JS SDK sends it so).",
                    },
                },
            },
        };
    }

    private string NameOf(string collectionId) =>
        _collections.FirstOrDefault(c => c.Id == collectionId)?.Name ?? collectionId;

    private void AddTag(string name, string description) =>
        _tags.Add((JsonNode?)new JsonObject { ["name"] = name, ["description"] = description });

    private void AddOperation(string path, string method, JsonObject operation)
    {
        if (_paths[path] is not JsonObject item)
        {
            _paths[path] = item = [];
        }

        item[method] = operation;
    }

    private void AddSharedSchemas()
    {
        _schemas["FieldError"] = Object(
            [("code", Type("string", "A stable code such as `validation_required`.")), ("message", Type("string")), ("params", Type("object"))],
            ["code", "message"]);
        _schemas["Error"] = Object(
            [
                ("status", Type("integer")),
                ("message", Type("string")),
                ("data", new JsonObject
                {
                    ["type"] = "object",
                    ["description"] = "Field errors by field name, nested by path (`fields.2.name`); `{}` when the error is not about fields.",
                    ["additionalProperties"] = true,
                }),
            ],
            ["status", "message", "data"],
            "Every error answer: `{status, message, data}`.");
        _schemas["MfaChallenge"] = Object(
            [("mfaId", Type("string", "Pass it as `mfaId` to a second, different sign-in method."))],
            ["mfaId"],
            "401 answer of a first sign-in step when MFA applies.");
        _schemas["ListResult"] = Object(
            [
                ("page", Type("integer")), ("perPage", Type("integer")),
                ("totalItems", Type("integer", "-1 with skipTotal.")), ("totalPages", Type("integer", "-1 with skipTotal.")),
                ("items", new JsonObject { ["type"] = "array", ["items"] = new JsonObject() }),
            ],
            ["page", "perPage", "totalItems", "totalPages", "items"]);
        _schemas["AnyObject"] = new JsonObject { ["type"] = "object", ["additionalProperties"] = true };
    }

    private static JsonObject SharedResponses() => new()
    {
        ["BadRequest"] = Response("Bad input; `data` names the fields.", Ref("Error")),
        ["Unauthorized"] = Response("Missing or invalid authentication.", Ref("Error")),
        ["Forbidden"] = Response("Not allowed.", Ref("Error")),
        ["NotFound"] = Response("Not found (or hidden by a rule).", Ref("Error")),
        ["NoContent"] = Response("Done; no content."),
    };
}
