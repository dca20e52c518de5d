namespace Basalt.Storage.Changes;

/// <summary>
/// One row of the change log: a committed create, update or delete of a record, numbered in the order the reader delivers (see <see cref="ChangeFeed"/>).
/// </summary>
/// <param name="Id">Grows with commit order wherever one write could have seen another, and is never reused; the SSE <c>id:</c> of the events it produces.</param>
/// <param name="Created">When it was appended, in Unix milliseconds (what age-based pruning reads).</param>
/// <param name="Record">The row as stored after the write, or the deleted row; read it with <see cref="RecordSnapshot.Decode"/>.</param>
public sealed record ChangeEntry(long Id, long Created, string CollectionId, string RecordId, string Action, string Record);
