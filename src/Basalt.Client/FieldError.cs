using System.Text.Json.Nodes;

namespace Basalt.Client;

/// <summary>One validation error of a field: its code (<c>validation_required</c>, …), message and optional params.</summary>
public sealed record FieldError(string Code, string Message, JsonObject? Params)
{
    /// <summary>The leaves <c>{code, message}</c> of an error's <c>data</c>, keyed by their dotted path.</summary>
    internal static Dictionary<string, FieldError> Flatten(JsonObject data)
    {
        var errors = new Dictionary<string, FieldError>(StringComparer.Ordinal);
        Walk(data, "", errors);
        return errors;
    }

    private static void Walk(JsonObject node, string prefix, Dictionary<string, FieldError> errors)
    {
        foreach (var (key, value) in node)
        {
            if (value is not JsonObject child)
            {
                continue;
            }

            var path = prefix.Length == 0 ? key : prefix + "." + key;
            if (child["code"] is JsonValue code && code.TryGetValue<string>(out var c) && child["message"] is JsonValue message && message.TryGetValue<string>(out var m))
            {
                errors[path] = new FieldError(c, m, child["params"] as JsonObject);
            }
            else
            {
                Walk(child, path, errors);
            }
        }
    }
}
