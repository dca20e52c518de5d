using System.Text;

namespace Basalt.Files;

/// <summary>
/// Builds storage keys and takes them apart. Every segment is checked, so no key can climb out of its folder whatever
/// a route or a stored value holds: a segment is non-empty, is not <c>.</c> or <c>..</c>, and has no slash,
/// backslash or control character.
/// </summary>
public static class FileKeys
{
    /// <summary>Temporary uploads start with this; no stored name can (see <see cref="FileNames.IsValid"/>).</summary>
    public const string TemporaryPrefix = ".upload-";

    private const int MaxSegmentBytes = 255;

    public static string Record(string collectionId, string recordId) => Segment(collectionId) + "/" + Segment(recordId) + "/";

    public static string Collection(string collectionId) => Segment(collectionId) + "/";

    public static string File(string collectionId, string recordId, string name) => Record(collectionId, recordId) + Segment(name);

    /// <summary>The thumbs of one file (created by the thumbs task): <c>COLLECTION/RECORD/thumbs_NAME/</c>.</summary>
    public static string Thumbs(string collectionId, string recordId, string name) => Record(collectionId, recordId) + "thumbs_" + Segment(name) + "/";

    /// <summary>At most 255 UTF-8 bytes, as a file system's NAME_MAX counts them: a longer segment could never be stored.</summary>
    public static bool IsSafeSegment(string segment) =>
        segment.Length is > 0 and <= MaxSegmentBytes && Encoding.UTF8.GetByteCount(segment) <= MaxSegmentBytes &&
        segment is not "." and not ".." && !segment.Any(c => c is '/' or '\\' || char.IsControl(c));

    /// <summary>Splits <c>COLLECTION/RECORD/NAME</c>; null for keys of any other shape (thumbs, stray objects).</summary>
    public static (string CollectionId, string RecordId, string Name)? Parse(string key)
    {
        var parts = key.Split('/');
        return parts.Length == 3 && parts.All(IsSafeSegment) ? (parts[0], parts[1], parts[2]) : null;
    }

    private static string Segment(string segment) =>
        IsSafeSegment(segment) ? segment : throw new ArgumentException("Not a safe storage key segment.", nameof(segment));
}
