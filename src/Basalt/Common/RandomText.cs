using System.Security.Cryptography;

namespace Basalt.Common;

/// <summary>Cryptographically random strings for default secrets and collision-breaking id tails.</summary>
internal static class RandomText
{
    private const string Lower = "abcdefghijklmnopqrstuvwxyz0123456789";
    private const string Alnum = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    public static string Lowercase(int length) => RandomNumberGenerator.GetString(Lower, length);

    public static string Alphanumeric(int length) => RandomNumberGenerator.GetString(Alnum, length);
}
