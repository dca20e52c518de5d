using Basalt.Collections;

namespace Basalt.Records;

/// <summary>Record CRUD under the collection's rules: list, view, create, update, delete with cascade.</summary>
public sealed class RecordService
{
    /// <summary>Deletes every record of the collection, applying the relation cascade of §4.5.</summary>
    public Task TruncateAsync(Collection collection, CancellationToken cancellationToken) =>
        throw new NotSupportedException("record service not built yet");
}
