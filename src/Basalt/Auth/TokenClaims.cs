namespace Basalt.Auth;

/// <summary>The claims Basalt reads from a token before (and after) its signature is checked.</summary>
public sealed record TokenClaims(string Id, string Type, string CollectionId, bool Refreshable, DateTimeOffset Expires);
