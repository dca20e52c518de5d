namespace Basalt.Records.Fields;

/// <summary>bcrypt hashes (<c>$2a$</c>, PocketBase-compatible), verified in constant time by the library.</summary>
public static class PasswordHasher
{
    public const int DefaultCost = 10;

    public static string Hash(string password, int cost = DefaultCost) =>
        BCrypt.Net.BCrypt.HashPassword(password, BCrypt.Net.BCrypt.GenerateSalt(cost, 'a'));

    public static bool Verify(string password, string? hash)
    {
        if (string.IsNullOrEmpty(hash))
        {
            return false;
        }

        try
        {
            return BCrypt.Net.BCrypt.Verify(password, hash);
        }
        catch (BCrypt.Net.SaltParseException)
        {
            return false;
        }
    }
}
