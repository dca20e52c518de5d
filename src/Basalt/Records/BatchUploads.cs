using System.Text.Json.Nodes;
using Basalt.Errors;
using Basalt.Model;

namespace Basalt.Records;

/// <summary>
/// Where the files of a batch sub-request may go. The records API ignores a file part under a key that is not a file
/// field, as PocketBase does; a batch refuses it (400 naming the key), because its parts are addressed by index and
/// key and one that lands nowhere is a client's mistake that would otherwise lose the file without a word.
/// </summary>
internal static class BatchUploads
{
    public const string NotAFileFieldCode = "validation_unknown_file_field";
    public const string NotAFileField = "Not a file field of the collection.";
    public const string DeleteTakesNoFiles = "A delete takes no files.";

    /// <summary>Throws 400 <paramref name="failure"/> with <c>data.KEY</c> for each key that is not <c>f</c>, <c>f+</c> or <c>+f</c> of a file field.</summary>
    public static void EnsureFileFields(Collection collection, IReadOnlyList<RecordUpload> uploads, string failure)
    {
        var data = new JsonObject();
        foreach (var upload in uploads)
        {
            if (!RecordBody.IsFileKey(collection, upload.Key) && !data.ContainsKey(upload.Key))
            {
                data[upload.Key] = ValidationErrors.Leaf(NotAFileFieldCode, NotAFileField, null);
            }
        }

        if (data.Count > 0)
        {
            throw ApiError.BadRequest(failure, data);
        }
    }

    /// <summary>Throws 400 with <c>data.KEY</c> for each key a delete was sent files under.</summary>
    public static void EnsureNone(IReadOnlyList<RecordUpload> uploads)
    {
        if (uploads.Count == 0)
        {
            return;
        }

        var data = new JsonObject();
        foreach (var upload in uploads)
        {
            data[upload.Key] = ValidationErrors.Leaf(NotAFileFieldCode, DeleteTakesNoFiles, null);
        }

        throw ApiError.BadRequest(null, data);
    }
}
