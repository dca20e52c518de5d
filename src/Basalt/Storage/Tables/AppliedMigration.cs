namespace Basalt.Storage.Tables;

/// <summary>One row of <c>_appliedMigrations</c>: a migration file applied to this database, its SHA-256 then, and when (wire-format date).</summary>
public sealed record AppliedMigration(string File, string Checksum, string Applied);
