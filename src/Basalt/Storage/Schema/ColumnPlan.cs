namespace Basalt.Storage.Schema;

/// <summary>One column of a table after a migration, and where its values come from.</summary>
/// <param name="Name">The column name after the migration.</param>
/// <param name="Kind">The column kind after the migration.</param>
/// <param name="OldName">The column it was before (renamed or kept), or null for a new column.</param>
/// <param name="OldKind">Its kind before; differs from <paramref name="Kind"/> when the values must be converted.</param>
public sealed record ColumnPlan(string Name, ColumnKind Kind, string? OldName, ColumnKind? OldKind)
{
    public bool IsNew => OldName is null;

    public bool IsRenamed => OldName is not null && !string.Equals(OldName, Name, StringComparison.Ordinal);

    public bool IsConverted => OldKind is not null && OldKind != Kind;
}
