namespace Basalt.Storage;

/// <summary>
/// The first gate of the SQL console, before the database sees the text: the statement must open with a reading
/// keyword. A read-only connection or transaction still lets SQLite run <c>VACUUM INTO</c> (a file written anywhere)
/// and PostgreSQL run <c>COPY ... TO PROGRAM</c>, so the database's own refusal is not enough; each database adds its
/// own checks behind this one.
/// </summary>
internal static class SqlConsoleStatement
{
    private static readonly HashSet<string> Reading = new(StringComparer.OrdinalIgnoreCase)
    {
        "SELECT", "WITH", "VALUES", "EXPLAIN", "TABLE", "SHOW", "PRAGMA",
    };

    /// <summary>Throws <see cref="SqlConsoleException"/> unless the first keyword, past blanks, comments and parentheses, is a reading one.</summary>
    public static void EnsureReads(string sql)
    {
        var keyword = FirstKeyword(sql);
        if (!Reading.Contains(keyword))
        {
            throw new SqlConsoleException(
                "Only reading statements can run (SELECT, WITH, VALUES, EXPLAIN, TABLE, SHOW, PRAGMA); got '" + keyword + "'.");
        }
    }

    private static string FirstKeyword(string sql)
    {
        var i = 0;
        while (i < sql.Length)
        {
            if (char.IsWhiteSpace(sql[i]) || sql[i] == '(')
            {
                i++;
            }
            else if (sql.AsSpan(i).StartsWith("--"))
            {
                var end = sql.IndexOf('\n', i);
                i = end < 0 ? sql.Length : end + 1;
            }
            else if (sql.AsSpan(i).StartsWith("/*"))
            {
                var end = sql.IndexOf("*/", i + 2, StringComparison.Ordinal);
                var inner = sql.IndexOf("/*", i + 2, StringComparison.Ordinal);
                if (inner >= 0 && (end < 0 || inner < end))
                {
                    // PostgreSQL nests block comments and SQLite does not: either reading could hide the real first keyword.
                    return "/*";
                }

                i = end < 0 ? sql.Length : end + 2;
            }
            else
            {
                break;
            }
        }

        var start = i;
        while (i < sql.Length && (char.IsAsciiLetter(sql[i]) || sql[i] == '_'))
        {
            i++;
        }

        return sql[start..i];
    }
}
