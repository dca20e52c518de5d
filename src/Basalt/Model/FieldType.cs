namespace Basalt.Model;

/// <summary>The field type names of the wire format.</summary>
public static class FieldType
{
    public const string Text = "text";
    public const string Number = "number";
    public const string Bool = "bool";
    public const string Email = "email";
    public const string Url = "url";
    public const string Editor = "editor";
    public const string Date = "date";
    public const string Autodate = "autodate";
    public const string Select = "select";
    public const string Json = "json";
    public const string File = "file";
    public const string Relation = "relation";
    public const string Password = "password";
    public const string GeoPoint = "geoPoint";

    public static readonly IReadOnlyList<string> All =
        [Text, Number, Bool, Email, Url, Editor, Date, Autodate, Select, Json, File, Relation, Password, GeoPoint];

    /// <summary>Types whose value may hold several items when <c>maxSelect &gt; 1</c>.</summary>
    public static bool CanBeMultiple(string type) => type is Select or File or Relation;
}
