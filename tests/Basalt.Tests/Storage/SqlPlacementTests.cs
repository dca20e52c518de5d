using System.Text;
using System.Text.RegularExpressions;

namespace Basalt.Tests.Storage;

/// <summary>
/// SQL is assembled in one place: no source file of the engine outside <c>Storage/</c> (the statements and the dialects)
/// and <c>Query/</c> (the filter compiler) holds SQL text in a string literal. Services say what they read or write
/// through <c>RecordStore</c>, <c>AuthStateStore</c> and <c>SystemTables</c>; only those say how.
/// </summary>
public sealed partial class SqlPlacementTests
{
    /// <summary>Literals that name SQL without being SQL, by file name and exact text, each with the reason it stays.</summary>
    private static readonly (string File, string Literal, string Reason)[] Allowed =
    [
        ("RateLimitLabels.cs", "DELETE", "the HTTP method of a route, not a statement"),
        ("BasaltPlatformServices.cs", "DELETE", "an HTTP method CORS allows, not a statement"),
        ("BatchRequestParser.cs", "DELETE", "an HTTP method a batch request may name, not a statement"),
        ("FileSniffer.cs", "<TABLE", "an HTML tag the content sniffer looks for, not a statement"),
        ("ViewQuery.cs", "The view query must be a single SELECT statement.", "an error message about a superuser's view query"),
        ("ViewQuery.cs", "The view query must be a single read-only SELECT statement; ", "an error message about a superuser's view query"),
        ("CollectionValidator.cs", "Invalid CREATE INDEX expression.", "an error message about a collection's index definition"),
        ("CollectionValidator.cs", "The WHERE clause may not contain ", "an error message about a collection's index definition"),
    ];

    [Fact]
    public void No_file_outside_Storage_and_Query_writes_sql_text()
    {
        var engine = Path.Combine(RepositoryRoot(), "src", "Basalt");
        var found = new List<string>();
        foreach (var path in Directory.EnumerateFiles(engine, "*.cs", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(engine, path).Replace('\\', '/');
            if (relative.StartsWith("Storage/", StringComparison.Ordinal) || relative.StartsWith("Query/", StringComparison.Ordinal) ||
                relative.StartsWith("obj/", StringComparison.Ordinal) || relative.StartsWith("bin/", StringComparison.Ordinal))
            {
                continue;
            }

            var file = Path.GetFileName(path);
            foreach (var (line, literal) in SqlLiterals(File.ReadAllText(path)))
            {
                if (!Allowed.Any(a => a.File == file && a.Literal == literal))
                {
                    found.Add($"{relative}:{line}: \"{literal}\"");
                }
            }
        }

        Assert.True(found.Count == 0, "SQL text outside Storage/ and Query/ (move it behind a named method there):\n" + string.Join("\n", found));
    }

    [Fact]
    public void The_scan_finds_sql_in_every_kind_of_literal_and_skips_comments_and_regexes()
    {
        const string source = """
            // SELECT in a comment
            /* WHERE in a block comment */
            var a = "SELECT 1";
            var b = @"x "" ORDER BY";
            var c = $"{n} LIMIT {string.Join(", ", m)}";
            var d = $@"DELETE FROM {t}";
            var e = "no sql here, just words";
            var f = '"';
            [GeneratedRegex(@"^\s*CREATE\s+INDEX")]
            var g = "\" AND ";
            """;
        var found = SqlLiterals(source).ToList();
        Assert.Equal([3, 4, 5, 6, 10], found.Select(f => f.Line).ToList());
    }

    /// <summary>The string literals of C# <paramref name="source"/> that hold an upper-case SQL keyword, with their lines.</summary>
    private static IEnumerable<(int Line, string Literal)> SqlLiterals(string source)
    {
        var lines = source.Split('\n');
        foreach (var (line, literal) in Literals(source))
        {
            // A [GeneratedRegex] pattern reads text (an index definition, a route); it is not sent to a database.
            if (!lines[line - 1].Contains("GeneratedRegex", StringComparison.Ordinal) && SqlKeyword().IsMatch(literal))
            {
                yield return (line, literal);
            }
        }
    }

    /// <summary>Every string literal (regular, verbatim, interpolated, raw) outside comments, with the line it starts on.</summary>
    private static IEnumerable<(int Line, string Text)> Literals(string source)
    {
        var line = 1;
        var i = 0;
        while (i < source.Length)
        {
            var c = source[i];
            if (c == '\n')
            {
                line++;
                i++;
            }
            else if (source.AsSpan(i).StartsWith("//"))
            {
                i = source.IndexOf('\n', i) is var end && end < 0 ? source.Length : end;
            }
            else if (source.AsSpan(i).StartsWith("/*"))
            {
                var end = source.IndexOf("*/", i + 2, StringComparison.Ordinal);
                var stop = end < 0 ? source.Length : end + 2;
                line += source.AsSpan(i, stop - i).Count('\n');
                i = stop;
            }
            else if (c == '\'')
            {
                i++;
                while (i < source.Length && source[i] != '\'')
                {
                    i += source[i] == '\\' ? 2 : 1;
                }

                i++;
            }
            else if (c is '"' or '$' or '@' && StringStart().Match(source, i) is { Success: true } start)
            {
                var prefix = start.Groups["prefix"].Value;
                var (text, stop) = ReadLiteral(source, i + start.Length, prefix.Contains('@'), prefix.Contains('$'), start.Groups["quotes"].Value);
                yield return (line, text);
                line += source.AsSpan(i, stop - i).Count('\n');
                i = stop;
            }
            else
            {
                i++;
            }
        }
    }

    /// <summary>
    /// Reads a literal's text from <paramref name="from"/> (just past its opening quotes); returns it and the index past
    /// its end. The code in an interpolation hole is skipped, strings nested in it included.
    /// </summary>
    private static (string Text, int Stop) ReadLiteral(string source, int from, bool verbatim, bool interpolated, string quotes)
    {
        if (quotes.Length >= 3)
        {
            var end = source.IndexOf(quotes, from, StringComparison.Ordinal);
            return end < 0 ? (source[from..], source.Length) : (source[from..end], end + quotes.Length);
        }

        var text = new StringBuilder();
        var depth = 0;
        var i = from;
        while (i < source.Length)
        {
            var c = source[i];
            if (depth > 0)
            {
                if (StringStart().Match(source, i) is { Success: true } nested)
                {
                    var prefix = nested.Groups["prefix"].Value;
                    i = ReadLiteral(source, i + nested.Length, prefix.Contains('@'), prefix.Contains('$'), nested.Groups["quotes"].Value).Stop;
                    continue;
                }

                depth += c == '{' ? 1 : c == '}' ? -1 : 0;
                i++;
            }
            else if (interpolated && c is '{' or '}')
            {
                var doubled = i + 1 < source.Length && source[i + 1] == c;
                depth += c == '{' && !doubled ? 1 : 0;
                text.Append(c);
                i += doubled ? 2 : 1;
            }
            else if (verbatim && source.AsSpan(i).StartsWith("\"\""))
            {
                text.Append('"');
                i += 2;
            }
            else if (!verbatim && c == '\\' && i + 1 < source.Length)
            {
                text.Append(source[i + 1]);
                i += 2;
            }
            else if (c == '"')
            {
                return (text.ToString(), i + 1);
            }
            else
            {
                text.Append(c);
                i++;
            }
        }

        return (text.ToString(), i);
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Basalt.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Basalt.slnx not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex("""\G(?<prefix>\$*@?\$*)(?<quotes>"{3,}|")""")]
    private static partial Regex StringStart();

    /// <summary>Upper-case SQL keywords as whole words; messages and data rarely shout them, statements always do.</summary>
    [GeneratedRegex(@"\b(SELECT|INSERT|UPDATE|DELETE|FROM|WHERE|JOIN|ORDER BY|GROUP BY|HAVING|LIMIT|OFFSET|VALUES|RETURNING|UNION|DISTINCT|EXISTS|AND|OR|NOT|IN|IS|NULL|LIKE|SET|ASC|DESC|COUNT|LOWER|CAST|CREATE|ALTER|DROP|TABLE|INDEX)\b")]
    private static partial Regex SqlKeyword();
}
