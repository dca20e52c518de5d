using System.Text.Json.Nodes;
using Basalt.Model;

namespace Basalt.Records.Fields;

/// <summary>
/// The checks of a file field (PocketBase's core/field_file.go and core/validators/file.go, same codes and messages):
/// a name the field did not hold before must be a file uploaded with this write; no more than <c>maxSelect</c> files;
/// each new file within <c>maxSize</c> (5 MiB when 0) and, when <c>mimeTypes</c> is set, of one of those types as its
/// content sniffed.
/// </summary>
internal static class FileUploadChecks
{
    /// <summary>PocketBase's default <c>maxSize</c> for a file field: 5 MiB.</summary>
    public const long DefaultMaxSize = 5L << 20;

    /// <summary>The longest file name a record may hold.</summary>
    public const int MaxNameLength = 150;

    public static long MaxSize(Field field) => field.GetNumber("maxSize") is > 0 and var size ? (long)size : DefaultMaxSize;

    public static int MaxSelect(Field field) => Math.Max(field.MaxSelect, 1);

    /// <summary>The names check and the count check; the uploads themselves are checked by <see cref="Uploads"/>.</summary>
    public static FieldIssue? Names(Field field, IReadOnlyList<string> items, Record? original, IReadOnlyDictionary<string, RecordUpload>? uploaded)
    {
        var existing = original is null ? [] : FieldValues.Items(original.Get(field.Name));
        var invalid = items.Where(i => !existing.Contains(i) && uploaded?.ContainsKey(i) != true).ToList();
        if (invalid.Count > 0)
        {
            var shown = invalid.Select(i => i.Length > 250 ? i[..250] : i).ToList();
            var list = new JsonArray();
            foreach (var name in shown)
            {
                list.Add((JsonNode?)name);
            }

            return new FieldIssue("validation_invalid_file", $"Invalid new files: [{string.Join(' ', shown)}].", new JsonObject { ["invalidFiles"] = list });
        }

        return items.Count > MaxSelect(field)
            ? new FieldIssue("validation_too_many_files", $"The maximum allowed files is {MaxSelect(field)}.", new JsonObject { ["maxSelect"] = MaxSelect(field) })
            : null;
    }

    /// <summary>The first problem of the new files <paramref name="items"/> holds, in order, or null.</summary>
    public static FieldIssue? Uploads(Field field, IReadOnlyList<string> items, IReadOnlyDictionary<string, RecordUpload> uploaded)
    {
        var mimeTypes = field.GetStrings("mimeTypes").Where(t => t.Length > 0).ToList();
        foreach (var name in items)
        {
            if (!uploaded.TryGetValue(name, out var upload))
            {
                continue;
            }

            if (upload.StoredName.Length is < 1 or > MaxNameLength)
            {
                return new FieldIssue("validation_length_out_of_range", $"The length must be between 1 and {MaxNameLength}.");
            }

            if (!IsLooseFileName(upload.StoredName))
            {
                return new FieldIssue("validation_match_invalid", "Must be in a valid format.");
            }

            if (upload.Length > MaxSize(field))
            {
                return new FieldIssue(
                    "validation_file_size_limit",
                    $"Failed to upload {upload.OriginalName} - the maximum allowed file size is {MaxSize(field)} bytes.",
                    new JsonObject { ["file"] = upload.OriginalName, ["maxSize"] = MaxSize(field) });
            }

            var essence = Essence(upload.ContentType);
            if (mimeTypes.Count > 0 && !mimeTypes.Any(t => string.Equals(Essence(t), essence, StringComparison.Ordinal)))
            {
                return new FieldIssue("validation_invalid_mime_type", $"\"{upload.StoredName}\" mime type must be one of: {string.Join(", ", mimeTypes)}.");
            }
        }

        return null;
    }

    /// <summary>PocketBase's loose file name rule <c>^[^./\\][^/\\]+$</c>, and no control character.</summary>
    private static bool IsLooseFileName(string name) =>
        name.Length > 1 && name[0] != '.' && !name.Any(c => c is '/' or '\\' || char.IsControl(c));

    /// <summary>A media type without parameters, lower-cased: <c>text/plain; charset=utf-8</c> → <c>text/plain</c>.</summary>
    private static string Essence(string contentType) => contentType.Split(';', 2)[0].Trim().ToLowerInvariant();
}
