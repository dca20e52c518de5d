using System.Text.Json.Nodes;
using Basalt.Errors;
using Basalt.Query;

namespace Basalt.Records;

/// <summary>
/// One sub-request of a batch, parsed: the action, its collection and record id, the body, the <c>expand</c> of its
/// URL and the <see cref="RequestInfo"/> its rules read (context <c>batch</c>, the caller's auth). A sub-request that
/// cannot run (an unknown action) carries its <see cref="Refusal"/>, which fails the batch when its turn comes, so the
/// index the failure names is the one PocketBase names.
/// </summary>
public sealed record BatchOperation(
    BatchAction Action, string Collection, string? Id, JsonObject Body, string? Expand, RequestInfo Request, ApiError? Refusal = null)
{
    /// <summary>The files sent with this sub-request (<c>requests.N.key</c> parts), each under the key it names.</summary>
    public IReadOnlyList<RecordUpload> Uploads { get; init; } = [];

    /// <summary>A sub-request that fails with <paramref name="refusal"/> when it is reached.</summary>
    public static BatchOperation Refused(ApiError refusal, RequestInfo request) =>
        new(BatchAction.Create, "", null, [], null, request, refusal);
}
