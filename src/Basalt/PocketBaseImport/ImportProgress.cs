namespace Basalt.PocketBaseImport;

/// <summary>How far one phase of an import or export is: <see cref="Done"/> of <see cref="Total"/> records, files or bytes.</summary>
public readonly record struct ImportProgress(string Phase, long Done, long Total, string Unit);
