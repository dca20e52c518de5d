namespace Basalt.Backups;

/// <summary>What backups need from the host's options: the data folder (backups live in <c>DATA/backups</c> unless the settings put them in S3).</summary>
public sealed class BackupOptions
{
    public string DataDir { get; set; } = "basalt_data";
}
