namespace Basalt.Backups;

/// <summary>How far a backup or restore is: its stage (<c>database</c>, <c>files</c>, <c>verify</c>) and the units done of the stage's total.</summary>
public sealed record BackupProgress(string Stage, long Done, long Total);
