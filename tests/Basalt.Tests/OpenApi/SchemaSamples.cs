using System.Text.Json.Nodes;

namespace Basalt.Tests.OpenApi;

/// <summary>
/// A value that satisfies a JSON schema of the document, as a client generator or a mock server would make one: the
/// first <c>examples</c> entry or enum value, numbers within their bounds, strings within their lengths and formats,
/// objects with their required properties (none when <c>required</c> is false: an update may change nothing), arrays of one item.
/// </summary>
internal static class SchemaSamples
{
    private const string Text = "Sample1234";

    public static JsonNode? Sample(JsonObject schema, JsonObject doc, bool required = true)
    {
        if (schema["$ref"]?.GetValue<string>() is { } reference)
        {
            var target = doc["components"]!["schemas"]![reference["#/components/schemas/".Length..]]!.AsObject();
            return Sample(target, doc, required);
        }

        if (schema["examples"] is JsonArray { Count: > 0 } examples)
        {
            return examples[0]!.DeepClone();
        }

        if (schema["enum"] is JsonArray values)
        {
            return values.First(v => v!.GetValue<string>().Length > 0)!.DeepClone();
        }

        return schema["type"]?.GetValue<string>() switch
        {
            "string" => String(schema),
            "integer" => Number(schema, integer: true),
            "number" => Number(schema, integer: false),
            "boolean" => true,
            "array" => new JsonArray(Sample(schema["items"]!.AsObject(), doc, required)),
            "object" => Object(schema, doc, required),
            _ => new JsonObject { ["sample"] = 1 },
        };
    }

    private static JsonObject Object(JsonObject schema, JsonObject doc, bool required)
    {
        var names = (schema["required"] as JsonArray ?? []).Select(r => r!.GetValue<string>()).ToHashSet(StringComparer.Ordinal);
        var result = new JsonObject();
        foreach (var (name, property) in schema["properties"] as JsonObject ?? [])
        {
            if (required && names.Contains(name))
            {
                result[name] = Sample(property!.AsObject(), doc, required);
            }
        }

        return result;
    }

    private static JsonNode String(JsonObject schema)
    {
        var value = schema["format"]?.GetValue<string>() switch
        {
            "email" => "sample@example.com",
            "uri" => "https://example.com/sample",
            _ => Text,
        };
        var min = (int?)schema["minLength"]?.GetValue<double>() ?? 0;
        var max = (int?)schema["maxLength"]?.GetValue<double>() ?? int.MaxValue;
        value = value.PadRight(min, 'x');
        return value.Length > max ? value[..max] : value;
    }

    private static JsonValue Number(JsonObject schema, bool integer)
    {
        var min = schema["minimum"]?.GetValue<double>();
        var max = schema["maximum"]?.GetValue<double>();
        var value = min ?? (max is < 1 ? max.Value : 1);
        return integer ? JsonValue.Create((long)Math.Ceiling(value)) : JsonValue.Create(value);
    }
}
