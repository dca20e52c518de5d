namespace Basalt.Storage.Schema;

/// <summary>One column of an index: its name, whether it compares case-insensitively, and its order.</summary>
public sealed record IndexColumn(string Name, bool NoCase, bool Descending);
