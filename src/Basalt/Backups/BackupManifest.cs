using System.Reflection;
using System.Text.Json.Serialization;

namespace Basalt.Backups;

/// <summary>
/// <c>manifest.json</c>, the last entry of every backup: which Basalt made it, from which database kind and system
/// schema version, every other entry with its size and SHA-256, and the stored files its records reference.
/// </summary>
public sealed record BackupManifest(
    int Format,
    string BasaltVersion,
    string Database,
    int SchemaVersion,
    string Created,
    List<BackupEntry> Entries,
    List<string> Files,
    List<string> MissingFiles)
{
    /// <summary>The archive layout this Basalt writes and reads.</summary>
    public const int CurrentFormat = 1;

    public const string EntryName = "manifest.json";

    /// <summary>The database's parts live under this folder of the archive.</summary>
    public const string DatabaseFolder = "database/";

    /// <summary>Stored files live under this folder, by their storage key.</summary>
    public const string StorageFolder = "storage/";

    /// <summary>This Basalt's version (<c>1.2.3</c>, without a build suffix).</summary>
    public static string RunningVersion { get; } = ReadVersion();

    private static string ReadVersion()
    {
        var assembly = typeof(BackupManifest).Assembly;
        var version = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? assembly.GetName().Version?.ToString() ?? "0.0.0";
        return version.Split('+', '-')[0];
    }
}

/// <summary>One entry of a backup archive: its name, size and SHA-256 (lowercase hex).</summary>
public sealed record BackupEntry(string Name, long Size, string Sha256);

[JsonSerializable(typeof(BackupManifest))]
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
internal sealed partial class BackupJson : JsonSerializerContext;
