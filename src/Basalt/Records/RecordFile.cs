using Basalt.Model;
using Basalt.Records.Fields;

namespace Basalt.Records;

/// <summary>One stored file of one record: where it lives is <c>CollectionId/RecordId/Name</c>.</summary>
public readonly record struct RecordFile(string CollectionId, string RecordId, string Name)
{
    /// <summary>Every file the file fields of <paramref name="record"/> reference.</summary>
    public static IEnumerable<RecordFile> Of(Record record) =>
        record.Collection.Fields
            .Where(f => f.Type == FieldType.File)
            .SelectMany(f => FieldValues.Items(record.Get(f.Name)))
            .Select(name => new RecordFile(record.Collection.Id, record.Id, name));
}
