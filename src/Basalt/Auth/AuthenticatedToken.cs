using Basalt.Model;

namespace Basalt.Auth;

/// <summary>A verified auth token together with the record it belongs to.</summary>
public sealed record AuthenticatedToken(Record Record, TokenClaims Claims, string Token);
