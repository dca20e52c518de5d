using System.Globalization;
using System.IO.Hashing;
using System.Text;
using Basalt.Common;

namespace Basalt.Collections;

/// <summary>PocketBase's default ids: <c>pbc_ + crc32(type+name)</c> for collections, <c>type + crc32(name)</c> for fields.</summary>
public static class CollectionIds
{
    /// <summary>The unsigned CRC32-IEEE checksum of the UTF-8 text, in decimal.</summary>
    public static string Crc32Decimal(string text) =>
        Crc32.HashToUInt32(Encoding.UTF8.GetBytes(text)).ToString(CultureInfo.InvariantCulture);

    /// <summary>The default id of a new collection; <c>2..999</c> is appended while <paramref name="isTaken"/> says the id is in use.</summary>
    public static string ForCollection(string type, string name, Func<string, bool> isTaken) =>
        WithSuffix("pbc_" + Crc32Decimal(type + name), isTaken);

    /// <summary>The default id of a field; a numeric suffix is appended while <paramref name="isTaken"/> says the id is in use.</summary>
    public static string ForField(string type, string name, Func<string, bool> isTaken) =>
        WithSuffix(type + Crc32Decimal(name), isTaken);

    private static string WithSuffix(string id, Func<string, bool> isTaken)
    {
        if (!isTaken(id))
        {
            return id;
        }

        for (var i = 2; i <= 999; i++)
        {
            var candidate = id + i.ToString(CultureInfo.InvariantCulture);
            if (!isTaken(candidate))
            {
                return candidate;
            }
        }

        // 998 collisions on one checksum only happen on purpose; a random tail still gives a valid, unique id.
        return id + "_" + RandomText.Lowercase(8);
    }
}
