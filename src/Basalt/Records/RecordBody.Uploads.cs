using System.Text.Json.Nodes;
using Basalt.Model;
using Basalt.Records.Fields;

namespace Basalt.Records;

/// <summary>How uploaded files join a body: as their stored names, under the key they were sent with.</summary>
internal sealed partial class RecordBody
{
    /// <summary>The uploads sent to file fields of the collection, by stored name; a value naming one of them is a new file, not an unknown name.</summary>
    public Dictionary<string, RecordUpload> Uploads { get; } = new(StringComparer.Ordinal);

    /// <summary>Whether files sent under <paramref name="key"/> go to a file field of the collection: <c>f</c>, <c>f+</c> or <c>+f</c>.</summary>
    public static bool IsFileKey(Collection collection, string key)
    {
        var (name, modifier) = Split(key);
        return modifier is Modifier.None or Modifier.Append or Modifier.Prepend && collection.FindField(name) is { Type: FieldType.File };
    }

    /// <summary>
    /// PocketBase's rule (apis/record_crud.go): files under <c>f+</c> or <c>+f</c> are appended or prepended as the
    /// modifier says; files under the plain key <c>f</c> replace the value, except that the names the body also sent
    /// under <c>f</c> are kept in front of them, so a client can keep some files while adding others. Files under
    /// keys that are not file fields are ignored.
    /// </summary>
    private JsonObject WithUploads(Collection collection, JsonObject body, IReadOnlyList<RecordUpload> uploads)
    {
        var merged = (JsonObject)body.DeepClone();
        foreach (var group in uploads.GroupBy(u => u.Key, StringComparer.Ordinal))
        {
            if (!IsFileKey(collection, group.Key))
            {
                continue;
            }

            var names = new JsonArray();
            if (Split(group.Key).Modifier == Modifier.None && merged[group.Key] is { } sent)
            {
                foreach (var existing in FieldValues.ToStringList(sent))
                {
                    names.Add((JsonNode?)existing);
                }
            }

            foreach (var upload in group)
            {
                Uploads[upload.StoredName] = upload;
                names.Add((JsonNode?)upload.StoredName);
            }

            merged[group.Key] = names;
        }

        return merged;
    }
}
