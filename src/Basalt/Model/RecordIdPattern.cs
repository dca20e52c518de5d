namespace Basalt.Model;

/// <summary>The pattern of the default record id field (§2.4): lowercase letters and digits only.</summary>
public static class RecordIdPattern
{
    public const string Lowercase = "^[a-z0-9]+$";
}
