using System.Globalization;
using System.Text.Json.Nodes;
using Basalt.Model;

namespace Basalt.PocketBaseImport;

/// <summary>
/// Everything an import will change, worked out and validated before anything is written: the collections it creates
/// (and the empty ones they replace), the rows of Basalt's own system collections it adds to, the superusers' token
/// settings, the app settings, the files, and what it cannot carry. A dry run prints it; a run carries it out whole.
/// </summary>
public sealed class ImportPlan(string source)
{
    public string Source { get; } = source;

    /// <summary>The source's own collections, tables first, then views.</summary>
    public List<PlannedCollection> Collections { get; } = [];

    /// <summary>Rows going into Basalt's system collections (<c>_superusers</c>, <c>_externalAuths</c>, <c>_authOrigins</c>).</summary>
    public List<PlannedCollection> SystemRecords { get; } = [];

    /// <summary>Basalt's <c>_superusers</c> with the source's token secrets and auth options, or null to leave it.</summary>
    public Collection? Superusers { get; set; }

    /// <summary>Basalt superusers that an imported superuser of the same id or email replaces.</summary>
    public List<string> SuperusersReplaced { get; } = [];

    /// <summary>The settings document to store, or null to keep Basalt's.</summary>
    public JsonObject? Settings { get; set; }

    /// <summary>The settings sections whose values change.</summary>
    public List<string> SettingsChanged { get; } = [];

    public List<PlannedFile> Files { get; } = [];

    public List<ImportNote> Notes { get; } = [];

    public long Records => Collections.Sum(c => c.Records) + SystemRecords.Sum(c => c.Records);

    public long FileBytes => Files.Sum(f => f.Length);

    /// <summary>The plan in words, one line each: what a dry run prints.</summary>
    public IEnumerable<string> Describe()
    {
        yield return $"Source: {Source}";
        yield return $"Collections: {Collections.Count}";
        foreach (var planned in Collections)
        {
            var action = planned.Replaces is null ? "create" : $"replace the empty Basalt collection \"{planned.Replaces.Name}\" with";
            var rows = planned.Target.IsView ? "view" : Count(planned.Records, "record");
            yield return $"  {action} {planned.Target.Type} \"{planned.Target.Name}\" ({planned.Target.Id}): {rows}";
        }

        foreach (var planned in SystemRecords)
        {
            yield return $"  add to {planned.Target.Name}: {Count(planned.Records, "record")}";
        }

        foreach (var email in SuperusersReplaced)
        {
            yield return $"  replace the Basalt superuser {email} with PocketBase's";
        }

        if (Superusers is not null)
        {
            yield return "  _superusers: token secrets and auth options from PocketBase (superuser tokens PocketBase issued stay valid)";
        }

        yield return SettingsChanged.Count == 0 ? "Settings: unchanged" : $"Settings: {string.Join(", ", SettingsChanged)}";
        yield return $"Files: {Count(Files.Count, "file")}, {Bytes(FileBytes)}";
        yield return $"Records in all: {Records.ToString("N0", CultureInfo.InvariantCulture)}";
        if (Notes.Count > 0)
        {
            yield return "Not carried:";
            foreach (var note in Notes)
            {
                yield return "  " + note;
            }
        }
    }

    /// <summary>"1 record", "1,234 records".</summary>
    public static string Count(long n, string unit) => n.ToString("N0", CultureInfo.InvariantCulture) + " " + unit + (n == 1 ? "" : "s");

    /// <summary>A size in B, KiB, MiB or GiB.</summary>
    public static string Bytes(long bytes) => bytes switch
    {
        < 1024 => bytes.ToString(CultureInfo.InvariantCulture) + " B",
        < 1024 * 1024 => (bytes / 1024.0).ToString("0.0", CultureInfo.InvariantCulture) + " KiB",
        < 1024L * 1024 * 1024 => (bytes / 1048576.0).ToString("0.0", CultureInfo.InvariantCulture) + " MiB",
        _ => (bytes / 1073741824.0).ToString("0.00", CultureInfo.InvariantCulture) + " GiB",
    };
}
