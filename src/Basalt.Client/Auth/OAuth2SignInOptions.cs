using System.Text.Json.Nodes;

namespace Basalt.Client.Auth;

/// <summary>The optional parts of <see cref="Records.RecordService.AuthWithOAuth2Async"/>.</summary>
public sealed class OAuth2SignInOptions
{
    /// <summary>Scopes that replace the provider's defaults.</summary>
    public IReadOnlyList<string>? Scopes { get; init; }

    /// <summary>The fields of the record created when the user is new.</summary>
    public JsonObject? CreateData { get; init; }

    /// <summary>The <c>mfaId</c> of a first factor, when OAuth2 is the second.</summary>
    public string? MfaId { get; init; }

    /// <summary>Expand and fields of the returned record.</summary>
    public RecordOptions? Record { get; init; }

    /// <summary>
    /// Called when the provider's answer has come over realtime, before its code is exchanged: from then on a popup that
    /// reads as closed (the redirect page closes itself) no longer means the user gave up.
    /// </summary>
    public Action? AnswerReceived { get; init; }
}
