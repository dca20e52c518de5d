namespace Basalt.Backups;

/// <summary>One stored backup as <c>GET /api/backups</c> lists it.</summary>
public sealed record BackupInfo(string Key, long Size, DateTimeOffset Modified);
