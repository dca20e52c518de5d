namespace Basalt.Model;

/// <summary>The three kinds of collection; the type never changes after create.</summary>
public static class CollectionType
{
    public const string Base = "base";
    public const string Auth = "auth";
    public const string View = "view";

    public static bool IsKnown(string? type) => type is Base or Auth or View;
}
