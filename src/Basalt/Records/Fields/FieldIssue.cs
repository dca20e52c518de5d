using System.Text.Json.Nodes;

namespace Basalt.Records.Fields;

/// <summary>One validation failure of a field value: PocketBase's code, its message and optional params.</summary>
internal sealed record FieldIssue(string Code, string Message, JsonObject? Params = null)
{
    public static FieldIssue Invalid(string message = "Invalid value.") => new("validation_invalid_value", message);

    public static readonly FieldIssue Required = new("validation_required", "Cannot be blank.");
}
