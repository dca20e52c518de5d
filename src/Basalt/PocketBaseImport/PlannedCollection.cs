using Basalt.Model;

namespace Basalt.PocketBaseImport;

/// <summary>
/// One collection an import brings in: where it comes from, the validated collection it becomes, how many rows it
/// carries, and the empty Basalt collection of the same id or name it takes the place of (null when there is none).
/// </summary>
public sealed record PlannedCollection(SourceCollection Source, Collection Target, long Records, Collection? Replaces);
