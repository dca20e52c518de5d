namespace Basalt.Migrations;

/// <summary>Where one migration stands in this database (<c>basalt migrate status</c>).</summary>
public enum MigrationStateKind
{
    /// <summary>In the folder, not applied here yet.</summary>
    Pending,

    /// <summary>In the folder and applied here, unchanged since.</summary>
    Applied,

    /// <summary>Applied here, but the file has changed since (its checksum differs); <c>down</c> refuses it.</summary>
    Changed,

    /// <summary>Applied here, but no longer in the folder.</summary>
    Missing,
}

/// <summary>One migration's file name, state, and when it was applied here (wire-format date), if it was.</summary>
public sealed record MigrationState(string File, MigrationStateKind State, string? Applied);
