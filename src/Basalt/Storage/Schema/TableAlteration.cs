namespace Basalt.Storage.Schema;

/// <summary>A table's change of shape: every column it ends with, and the old columns that go away.</summary>
/// <param name="Table">The table name (already renamed if the collection was).</param>
/// <param name="Columns">The columns after the migration, in order.</param>
/// <param name="DroppedColumns">Old column names with no counterpart after the migration.</param>
public sealed record TableAlteration(string Table, IReadOnlyList<ColumnPlan> Columns, IReadOnlyList<string> DroppedColumns)
{
    public bool IsEmpty => DroppedColumns.Count == 0 && Columns.All(c => !c.IsNew && !c.IsRenamed && !c.IsConverted);
}
