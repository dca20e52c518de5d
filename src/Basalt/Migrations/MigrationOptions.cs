namespace Basalt.Migrations;

/// <summary>What migrations read from the host's options: the folder of migration files, whether API schema changes write one, whether a start applies them.</summary>
public sealed record MigrationOptions
{
    /// <summary>The folder of migration files (absolute).</summary>
    public required string Folder { get; init; }

    /// <summary>When true, every collection change made through the API writes a migration file into <see cref="Folder"/>.</summary>
    public bool Automigrate { get; init; }

    /// <summary>When true, the folder's pending migrations are applied as the host starts.</summary>
    public bool ApplyAtStart { get; init; }
}
