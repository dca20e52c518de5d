namespace Basalt.Auth.OAuth2;

/// <summary>The body of <c>auth-with-oauth2</c> minus <c>createData</c>: what the token endpoint needs.</summary>
public sealed record OAuth2Exchange(string Provider, string Code, string CodeVerifier, string RedirectUrl);
