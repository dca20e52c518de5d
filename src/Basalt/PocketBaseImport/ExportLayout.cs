namespace Basalt.PocketBaseImport;

/// <summary>
/// The files of a folder <c>basalt export</c> writes and <c>basalt import</c> reads back: a manifest, every collection's
/// JSON (secrets included) in one array, the settings, one JSON-lines file of records per collection (named by its id)
/// and the uploaded files under <c>storage/</c> with PocketBase's keys.
/// </summary>
public static class ExportLayout
{
    public const string Manifest = "basalt-export.json";
    public const string Collections = "collections.json";
    public const string Settings = "settings.json";
    public const string Records = "records";
    public const string Storage = "storage";
    public const string Format = "basalt-export";
    public const int Version = 1;

    /// <summary>The records file of a collection, relative to the export folder.</summary>
    public static string RecordsFile(string collectionId) => Path.Combine(Records, collectionId + ".jsonl");
}
