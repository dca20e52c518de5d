using System.Text.Json.Nodes;

namespace Basalt.Client;

/// <summary>
/// A request that failed: the server answered 4xx/5xx with its <c>{status, message, data}</c> envelope, or the request
/// never got an answer (<see cref="Status"/> 0, the cause in <see cref="Exception.InnerException"/>). A cancelled request
/// throws <see cref="OperationCanceledException"/> instead.
/// </summary>
public sealed class ClientResponseException : Exception
{
    public ClientResponseException()
        : this(null, 0, null, null)
    {
    }

    public ClientResponseException(string message)
        : this(null, 0, new JsonObject { ["message"] = message }, null)
    {
    }

    public ClientResponseException(string message, Exception innerException)
        : this(null, 0, new JsonObject { ["message"] = message }, innerException)
    {
    }

    internal ClientResponseException(Uri? url, int status, JsonNode? response, Exception? innerException)
        : base(MessageOf(status, response, innerException), innerException)
    {
        Url = url;
        Status = status;
        Response = response as JsonObject ?? [];
        ErrorData = Response["data"] as JsonObject ?? [];
        FieldErrors = FieldError.Flatten(ErrorData);
    }

    /// <summary>The URL that was requested, when there was one.</summary>
    public Uri? Url { get; }

    /// <summary>The HTTP status; 0 when no answer arrived (a network failure).</summary>
    public int Status { get; }

    /// <summary>The whole JSON body of the answer (<c>{}</c> when it had none or was not JSON).</summary>
    public JsonObject Response { get; }

    /// <summary>The envelope's <c>data</c>: field errors, nested by field and index as the server sent them.</summary>
    public JsonObject ErrorData { get; }

    /// <summary>Every leaf <c>{code, message}</c> of <see cref="ErrorData"/> by its dotted path (<c>title</c>, <c>fields.2.name</c>, <c>requests.1</c>).</summary>
    public IReadOnlyDictionary<string, FieldError> FieldErrors { get; }

    /// <summary>The MFA challenge id of a first sign-in step that needs a second method (401 <c>{"mfaId"}</c>), else null.</summary>
    public string? MfaId => Response["mfaId"] is JsonValue v && v.TryGetValue<string>(out var id) ? id : null;

    private static string MessageOf(int status, JsonNode? response, Exception? inner) =>
        response?["message"] is JsonValue v && v.TryGetValue<string>(out var message) && message.Length > 0 ? message
        : response?["mfaId"] is not null ? "A second authentication method is required (MFA)."
        : status == 0 ? "Something went wrong while sending the request: " + (inner?.Message ?? "no answer.")
        : "Something went wrong while processing your request.";
}
