using Basalt.Model;

namespace Basalt.Auth.OAuth2;

/// <summary>The outcome of an OAuth2 first factor: the record to sign in, the provider's user and tokens, and whether the record is new.</summary>
public sealed record OAuth2SignIn(Record Record, OAuth2User User, OAuth2Token Token, bool IsNew);
