using System.Text.Json.Nodes;

namespace Basalt.Auth.OAuth2;

/// <summary>
/// The provider's user mapped to PocketBase's shape. <see cref="Email"/> is only set when the provider vouches for it
/// (verified), because the sign-in links an existing account by that address.
/// </summary>
public sealed record OAuth2User(string Id, string Name, string Username, string Email, string AvatarUrl, JsonObject RawUser);
