using System.Text.Json.Nodes;

namespace Basalt.Errors;

/// <summary>Builds the nested <c>data</c> map of validation errors: <c>{field: {code, message[, params]}}</c>.</summary>
public sealed class ValidationErrors
{
    private readonly JsonObject _errors = [];

    public bool IsEmpty => _errors.Count == 0;

    public JsonObject ToJson() => _errors;

    public ValidationErrors Add(string field, string code, string message, JsonObject? parameters = null)
    {
        if (!_errors.ContainsKey(field))
        {
            _errors[field] = Leaf(code, message, parameters);
        }

        return this;
    }

    /// <summary>Nests another error map under a key, as PocketBase does for <c>fields.2.name</c>.</summary>
    public ValidationErrors AddNested(string field, JsonObject nested)
    {
        _errors[field] = nested;
        return this;
    }

    public void ThrowIfAny(string message)
    {
        if (!IsEmpty)
        {
            throw ApiError.BadRequest(message, _errors);
        }
    }

    public static JsonObject Of(string field, string code, string message) =>
        new() { [field] = Leaf(code, message, null) };

    public static JsonObject Leaf(string code, string message, JsonObject? parameters)
    {
        var leaf = new JsonObject { ["code"] = code, ["message"] = ApiError.Sentence(message) };
        if (parameters is not null)
        {
            leaf["params"] = parameters;
        }

        return leaf;
    }
}
