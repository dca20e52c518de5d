namespace Basalt.PocketBaseImport;

/// <summary>What an import or export did, and what it could not carry.</summary>
public sealed record ImportSummary(int Collections, long Records, int Superusers, long Files, long Bytes, TimeSpan Elapsed, IReadOnlyList<ImportNote> Notes)
{
    /// <summary>Records per second over the whole run.</summary>
    public double RecordsPerSecond => Elapsed.TotalSeconds > 0 ? Records / Elapsed.TotalSeconds : Records;
}
