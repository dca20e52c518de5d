namespace Basalt.Files;

/// <summary>A file found for a download: its storage key, the name it is served as, size, modification time, sniffed type and whether its field is protected.</summary>
public sealed record ServedFile(string Key, string Name, long Length, DateTimeOffset LastModified, string ContentType, bool Protected);
