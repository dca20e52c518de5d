namespace Basalt.Model;

/// <summary>Names of the collections Basalt creates itself.</summary>
public static class SystemCollections
{
    public const string Superusers = "_superusers";

    /// <summary>The id of <c>_superusers</c>: PocketBase's default collection id, <c>pbc_</c> + crc32 of its type and name.</summary>
    public const string SuperusersId = "pbc_3142635823";

    /// <summary>The default app users collection, seeded only into a new database.</summary>
    public const string Users = "users";

    public const string UsersId = "_pb_users_auth_";
}
