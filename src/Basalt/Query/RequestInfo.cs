using System.Text.Json.Nodes;
using Basalt.Model;

namespace Basalt.Query;

/// <summary>
/// What a rule or filter may read as <c>@request.*</c>: method, first query values, snake_cased headers,
/// the submitted body (with modifiers resolved), the authenticated record and the context name.
/// </summary>
public sealed record RequestInfo
{
    public string Method { get; init; } = "GET";

    public IReadOnlyDictionary<string, string> Query { get; init; } = new Dictionary<string, string>();

    /// <summary>Header names are lowercased with '-' replaced by '_'.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    public JsonObject Body { get; init; } = [];

    public Record? Auth { get; init; }

    /// <summary>default, oauth2, otp, password, realtime, protectedFile, batch or expand.</summary>
    public string Context { get; init; } = "default";

    public bool IsSuperuser => Auth?.Collection.Name == SystemCollections.Superusers;
}
