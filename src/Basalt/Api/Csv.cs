using System.Text;
using Basalt.Errors;

namespace Basalt.Api;

/// <summary>RFC 4180 CSV as the records import and export use it: commas, double-quoted cells with <c>""</c> escapes and line breaks inside, CRLF or LF rows.</summary>
internal static class Csv
{
    /// <summary>The rows of <paramref name="text"/>; a trailing line break ends the last row rather than starting an empty one.</summary>
    public static List<List<string>> Parse(string text)
    {
        var rows = new List<List<string>>();
        var row = new List<string>();
        var cell = new StringBuilder();
        var i = text.Length > 0 && text[0] == '\uFEFF' ? 1 : 0;
        var quoted = false;
        var any = false;
        for (; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c != '"')
                {
                    cell.Append(c);
                }
                else if (i + 1 < text.Length && text[i + 1] == '"')
                {
                    cell.Append('"');
                    i++;
                }
                else
                {
                    quoted = false;
                }

                continue;
            }

            switch (c)
            {
                case '"' when cell.Length == 0:
                    quoted = true;
                    any = true;
                    break;
                case ',':
                    row.Add(cell.ToString());
                    cell.Clear();
                    any = true;
                    break;
                case '\r' or '\n':
                    if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
                    {
                        i++;
                    }

                    EndRow();
                    break;
                default:
                    cell.Append(c);
                    any = true;
                    break;
            }
        }

        if (quoted)
        {
            throw ApiError.BadRequest("The CSV has a quoted cell that is never closed.");
        }

        EndRow();
        return rows;

        void EndRow()
        {
            if (any || cell.Length > 0)
            {
                row.Add(cell.ToString());
                rows.Add(row);
            }

            row = [];
            cell.Clear();
            any = false;
        }
    }

    /// <summary>
    /// A text value as an export writes it: one that a spreadsheet would run as a formula (starting with = + - @, a
    /// tab or a carriage return, after any apostrophes) gets an apostrophe first, which spreadsheets show as text.
    /// </summary>
    public static string Defused(string value) => IsFormulaLike(value) ? "'" + value : value;

    /// <summary>The reverse of <see cref="Defused"/>, for an import: the first apostrophe of a formula-like cell goes.</summary>
    public static string Restored(string cell) => cell.StartsWith('\'') && IsFormulaLike(cell) ? cell[1..] : cell;

    private static bool IsFormulaLike(string value)
    {
        var rest = value.AsSpan().TrimStart('\'');
        return rest.Length > 0 && rest[0] is '=' or '+' or '-' or '@' or '\t' or '\r';
    }

    /// <summary>One cell, quoted when it holds a comma, a quote or a line break (or starts with a space).</summary>
    public static string Cell(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") >= 0 || (value.Length > 0 && char.IsWhiteSpace(value[0]))
            ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""
            : value;
}
