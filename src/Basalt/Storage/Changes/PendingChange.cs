namespace Basalt.Storage.Changes;

/// <summary>A record write a unit made, waiting to be appended to the change log as the unit ends.</summary>
/// <param name="Record">The row as stored (<see cref="RecordSnapshot"/>); for a delete, the row that was deleted.</param>
public sealed record PendingChange(string CollectionId, string RecordId, string Action, string Record);
