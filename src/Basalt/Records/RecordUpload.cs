namespace Basalt.Records;

/// <summary>
/// A file sent with a record create or update, already named: <paramref name="Key"/> is the body key it came under
/// (<c>docs</c>, <c>docs+</c> or <c>+docs</c>), <paramref name="StoredName"/> the unique name the record will hold,
/// <paramref name="ContentType"/> what its content sniffed as (never what the client claimed), and
/// <paramref name="Open"/> reads its bytes from the start.
/// </summary>
public sealed record RecordUpload(string Key, string OriginalName, string StoredName, long Length, string ContentType, Func<Stream> Open);
