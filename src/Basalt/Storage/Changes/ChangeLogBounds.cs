namespace Basalt.Storage.Changes;

/// <summary>Where the change log stands: every entry up to <see cref="Head"/> is committed, and those up to <see cref="PrunedThrough"/> are gone.</summary>
public readonly record struct ChangeLogBounds(long Head, long PrunedThrough);
