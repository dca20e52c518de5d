using System.Text.Json.Nodes;

namespace Basalt.OpenApi;

/// <summary>The small pieces every part of the document is built from: schema references, responses, operations.</summary>
internal static class OpenApiJson
{
    public const string Security = "bearerAuth";

    public static JsonObject Ref(string schema) => new() { ["$ref"] = "#/components/schemas/" + schema };

    public static JsonObject ResponseRef(string response) => new() { ["$ref"] = "#/components/responses/" + response };

    public static JsonObject Json(JsonNode schema) =>
        new() { ["application/json"] = new JsonObject { ["schema"] = schema } };

    public static JsonObject Response(string description, JsonNode? schema = null)
    {
        var response = new JsonObject { ["description"] = description };
        if (schema is not null)
        {
            response["content"] = Json(schema);
        }

        return response;
    }

    public static JsonObject Body(JsonNode schema, bool required = true, JsonNode? multipart = null)
    {
        var content = Json(schema);
        if (multipart is not null)
        {
            content["multipart/form-data"] = new JsonObject { ["schema"] = multipart };
        }

        return new JsonObject { ["required"] = required, ["content"] = content };
    }

    /// <summary>An object schema with <paramref name="properties"/> (name, schema), all optional unless listed in <paramref name="required"/>.</summary>
    public static JsonObject Object(IEnumerable<(string Name, JsonNode Schema)> properties, IEnumerable<string>? required = null, string? description = null)
    {
        var props = new JsonObject();
        foreach (var (name, schema) in properties)
        {
            props[name] = schema;
        }

        var schemaObject = new JsonObject { ["type"] = "object", ["properties"] = props };
        var requiredList = required?.ToList() ?? [];
        if (requiredList.Count > 0)
        {
            schemaObject["required"] = new JsonArray(requiredList.Select(r => (JsonNode)r).ToArray());
        }

        if (description is not null)
        {
            schemaObject["description"] = description;
        }

        return schemaObject;
    }

    public static JsonObject Type(string type, string? description = null)
    {
        var schema = new JsonObject { ["type"] = type };
        if (description is not null)
        {
            schema["description"] = description;
        }

        return schema;
    }

    /// <summary>
    /// One operation. Path parameters come from the <c>{name}</c> segments of <paramref name="path"/>; <paramref name="secured"/>
    /// adds the bearer token requirement (optional when <paramref name="optionalAuth"/>: guests may call it too).
    /// </summary>
    public static JsonObject Operation(
        string path, string id, string tag, string summary, string description, JsonObject responses,
        bool secured, bool optionalAuth = false, IEnumerable<JsonNode>? query = null, JsonObject? body = null)
    {
        var parameters = new JsonArray();
        foreach (var name in PathParameters(path))
        {
            parameters.Add((JsonNode?)new JsonObject { ["name"] = name, ["in"] = "path", ["required"] = true, ["schema"] = Type("string") });
        }

        foreach (var parameter in query ?? [])
        {
            parameters.Add(parameter);
        }

        var operation = new JsonObject
        {
            ["operationId"] = id,
            ["tags"] = new JsonArray(tag),
            ["summary"] = summary,
            ["description"] = description,
        };
        if (parameters.Count > 0)
        {
            operation["parameters"] = parameters;
        }

        if (body is not null)
        {
            operation["requestBody"] = body;
        }

        operation["responses"] = responses;
        if (secured)
        {
            operation["security"] = optionalAuth
                ? new JsonArray(new JsonObject(), new JsonObject { [Security] = new JsonArray() })
                : new JsonArray(new JsonObject { [Security] = new JsonArray() });
        }

        return operation;
    }

    public static JsonObject QueryParameter(string name, JsonObject schema, string description) =>
        new() { ["name"] = name, ["in"] = "query", ["required"] = false, ["description"] = description, ["schema"] = schema };

    private static IEnumerable<string> PathParameters(string path)
    {
        var start = path.IndexOf('{', StringComparison.Ordinal);
        while (start >= 0)
        {
            var end = path.IndexOf('}', start);
            yield return path[(start + 1)..end];
            start = path.IndexOf('{', end);
        }
    }
}
