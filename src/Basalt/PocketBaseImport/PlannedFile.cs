namespace Basalt.PocketBaseImport;

/// <summary>
/// One file an import copies: the source path, the storage key it is put under (PocketBase's key, which Basalt uses
/// too), its size and content type, and the MD5 PocketBase recorded beside it (null when none) to check the copy against.
/// </summary>
public sealed record PlannedFile(string SourcePath, string Key, long Length, string ContentType, byte[]? Md5);
