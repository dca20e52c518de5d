namespace Basalt.Collections;

/// <summary>Names of the collections Basalt creates itself.</summary>
public static class SystemCollections
{
    public const string Superusers = "_superusers";
}
