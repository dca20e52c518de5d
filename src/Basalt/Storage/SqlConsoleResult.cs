namespace Basalt.Storage;

/// <summary>
/// What one SQL console statement returned: the column names, at most the asked number of rows (each value a
/// <see langword="null"/>, <see cref="bool"/>, <see cref="long"/>, <see cref="double"/>, <see cref="decimal"/>,
/// <see cref="string"/> or a list of these), and whether more rows were left unread.
/// </summary>
public sealed record SqlConsoleResult(IReadOnlyList<string> Columns, IReadOnlyList<object?[]> Rows, bool Truncated);
