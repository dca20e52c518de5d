using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.Tokens;

namespace Basalt.Auth.OAuth2;

/// <summary>RFC 7636 proof keys: a random verifier and its S256 challenge.</summary>
public static class Pkce
{
    private const string Unreserved = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    /// <summary>43 characters, the shortest verifier the RFC allows (as PocketBase sends).</summary>
    public static string NewVerifier() => RandomNumberGenerator.GetString(Unreserved, 43);

    public static string Challenge(string verifier) => Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
}
