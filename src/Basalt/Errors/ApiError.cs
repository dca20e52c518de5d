using System.Text.Json.Nodes;

namespace Basalt.Errors;

/// <summary>An error that reaches the client as PocketBase's envelope <c>{status, message, data}</c>.</summary>
public sealed class ApiError : Exception
{
    public ApiError(int status, string message, JsonObject? data = null, Exception? inner = null)
        : base(Sentence(message), inner)
    {
        Status = status;
        Data = data ?? [];
    }

    public ApiError()
        : this(400, DefaultBadRequest)
    {
    }

    public ApiError(string message)
        : this(400, message)
    {
    }

    public ApiError(string message, Exception inner)
        : this(400, message, null, inner)
    {
    }

    public const string DefaultBadRequest = "Something went wrong while processing your request.";

    /// <summary>PocketBase's message for a body or parameter that could not be read.</summary>
    public const string LoadFailed = "An error occurred while loading the submitted data.";

    /// <summary>The message of a read stopped at its deadline (PocketBase's words for a cancelled request).</summary>
    public const string TookTooLong = "The request took too long to process.";

    public int Status { get; }

    /// <summary>Per-field validation errors, nested as PocketBase nests them; empty when the cause is not a validation.</summary>
    public new JsonObject Data { get; }

    public static ApiError BadRequest(string? message = null, JsonObject? data = null) =>
        new(400, message ?? DefaultBadRequest, data);

    public static ApiError Unauthorized(string? message = null) =>
        new(401, message ?? "Missing or invalid authentication.");

    public static ApiError Forbidden(string? message = null) =>
        new(403, message ?? "You are not allowed to perform this request.");

    public static ApiError NotFound(string? message = null) =>
        new(404, message ?? "The requested resource wasn't found.");

    public static ApiError TooManyRequests(string? message = null) =>
        new(429, message ?? "Too Many Requests.");

    public static ApiError ServiceUnavailable(string? message = null) =>
        new(503, message ?? "Service Unavailable.");

    public static ApiError Internal(string? message = null) =>
        new(500, message ?? DefaultBadRequest);

    /// <summary>A validation failure of one field: <c>{field: {code, message}}</c>.</summary>
    public static ApiError Field(string message, string field, string code, string fieldMessage) =>
        BadRequest(message, ValidationErrors.Of(field, code, fieldMessage));

    public JsonObject ToEnvelope() => new()
    {
        ["status"] = Status,
        ["message"] = Message,
        ["data"] = Data.DeepClone(),
    };

    /// <summary>PocketBase capitalises the first letter and ends every message with a period.</summary>
    internal static string Sentence(string message)
    {
        var m = message.Trim();
        if (m.Length == 0)
        {
            return m;
        }

        m = char.ToUpperInvariant(m[0]) + m[1..];
        return m.EndsWith('.') || m.EndsWith('!') || m.EndsWith('?') ? m : m + ".";
    }
}
