namespace Basalt.Files;

/// <summary>What a store knows about one file: its key, size, last modification and, if the store keeps it, its content type.</summary>
public sealed record StoredFile(string Key, long Length, DateTimeOffset LastModified, string? ContentType = null);
