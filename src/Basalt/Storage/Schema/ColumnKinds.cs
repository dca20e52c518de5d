using Basalt.Model;

namespace Basalt.Storage.Schema;

/// <summary>Maps a field to its <see cref="ColumnKind"/>.</summary>
public static class ColumnKinds
{
    public static ColumnKind Of(Field field) => field switch
    {
        { PrimaryKey: true } or { Name: "id" } => ColumnKind.PrimaryKey,
        { Type: FieldType.Number } => ColumnKind.Number,
        { Type: FieldType.Bool } => ColumnKind.Bool,
        { Type: FieldType.Json } => ColumnKind.Json,
        { Type: FieldType.GeoPoint } => ColumnKind.GeoPoint,
        { IsMultiple: true } => ColumnKind.JsonArray,
        _ => ColumnKind.Text,
    };
}
