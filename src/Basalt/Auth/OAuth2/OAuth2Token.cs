namespace Basalt.Auth.OAuth2;

/// <summary>What the token endpoint answered: the tokens and when the access token expires (null when it didn't say).</summary>
public sealed record OAuth2Token(string AccessToken, string RefreshToken, DateTimeOffset? Expiry, string IdToken);
