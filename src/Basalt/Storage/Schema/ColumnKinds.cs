using Basalt.Model;

namespace Basalt.Storage.Schema;

/// <summary>Maps a field to its <see cref="ColumnKind"/>.</summary>
public static class ColumnKinds
{
    // Runs for every value of every row read, so the option lookups come last: only the id field may be the primary
    // key (FieldOptionsValidator), and only select, file and relation fields read maxSelect.
    public static ColumnKind Of(Field field) => field switch
    {
        { Name: "id" } => ColumnKind.PrimaryKey,
        { Type: FieldType.Number } => ColumnKind.Number,
        { Type: FieldType.Bool } => ColumnKind.Bool,
        { Type: FieldType.Json } => ColumnKind.Json,
        { Type: FieldType.GeoPoint } => ColumnKind.GeoPoint,
        { IsMultiple: true } => ColumnKind.JsonArray,
        { PrimaryKey: true } => ColumnKind.PrimaryKey,
        _ => ColumnKind.Text,
    };
}
