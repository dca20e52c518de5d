using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Basalt.Errors;

namespace Basalt.Storage.Schema;

/// <summary>
/// A collection index, parsed from PocketBase's form
/// <c>CREATE [UNIQUE] INDEX `name` ON `table` (`col` [COLLATE NOCASE] [ASC|DESC], …) [WHERE …]</c>
/// so each dialect can emit its own DDL (PostgreSQL turns NOCASE into a <c>lower(col)</c> expression index).
/// </summary>
public sealed partial record IndexDefinition(string Name, bool Unique, string Table, IReadOnlyList<IndexColumn> Columns, string? Where)
{
    public const string InvalidCode = "validation_invalid_index_expression";

    private const string Identifier = """(?:`(\w+)`|"(\w+)"|\[(\w+)\]|(\w+))""";

    /// <summary>Parses one index string; false when it is not a plain column index Basalt can emit on every database.</summary>
    public static bool TryParse(string text, out IndexDefinition index)
    {
        index = null!;
        var m = IndexPattern().Match(text);
        if (!m.Success)
        {
            return false;
        }

        var columns = new List<IndexColumn>();
        foreach (var part in m.Groups["cols"].Value.Split(','))
        {
            var c = ColumnPattern().Match(part);
            if (!c.Success)
            {
                return false;
            }

            var collate = c.Groups["collate"].Value;
            if (collate.Length > 0 && !collate.Equals("NOCASE", StringComparison.OrdinalIgnoreCase) &&
                !collate.Equals("BINARY", StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }

            columns.Add(new IndexColumn(
                IdentifierOf(c),
                collate.Equals("NOCASE", StringComparison.OrdinalIgnoreCase),
                c.Groups["dir"].Value.Equals("DESC", StringComparison.OrdinalIgnoreCase)));
        }

        var where = m.Groups["where"].Success ? m.Groups["where"].Value.Trim() : null;

        // One statement only: the driver would run anything after a ';'.
        if (where is { Length: 0 } || where?.Contains(';', StringComparison.Ordinal) == true)
        {
            return false;
        }

        index = new IndexDefinition(
            IdentifierIn(m.Groups["name"]),
            m.Groups["unique"].Success,
            IdentifierIn(m.Groups["table"]),
            columns,
            where);
        return true;
    }

    /// <summary>
    /// Parses every index of a collection. Returns the validation map for the <c>indexes</c> key
    /// (<c>{"2": {code, message}}</c>), or null when all parse; also rejects duplicate index names.
    /// </summary>
    public static JsonObject? Validate(IReadOnlyList<string> indexes)
    {
        var errors = new JsonObject();
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < indexes.Count; i++)
        {
            if (!TryParse(indexes[i], out var index))
            {
                errors[i.ToString(System.Globalization.CultureInfo.InvariantCulture)] =
                    ValidationErrors.Leaf(InvalidCode, "Invalid CREATE INDEX expression.", null);
            }
            else if (!names.Add(index.Name))
            {
                errors[i.ToString(System.Globalization.CultureInfo.InvariantCulture)] =
                    ValidationErrors.Leaf("validation_duplicated_index_name", "The index name must be unique.", null);
            }
        }

        return errors.Count == 0 ? null : errors;
    }

    /// <summary>Parses all indexes or throws a 400 naming each bad <c>indexes.N</c>.</summary>
    public static IReadOnlyList<IndexDefinition> ParseAll(IReadOnlyList<string> indexes)
    {
        if (Validate(indexes) is { } errors)
        {
            throw ApiError.BadRequest("Failed to apply the collection indexes.", new JsonObject { ["indexes"] = errors });
        }

        return indexes.Select(i => TryParse(i, out var index) ? index : throw new InvalidOperationException("validated above")).ToList();
    }

    /// <summary>This index in PocketBase's text form on <paramref name="table"/>, as stored in <c>_collections.indexes</c>.</summary>
    public string ToPocketBaseString(string table)
    {
        var sb = new StringBuilder("CREATE ");
        if (Unique)
        {
            sb.Append("UNIQUE ");
        }

        sb.Append("INDEX `").Append(Name).Append("` ON `").Append(table).Append("` (");
        sb.AppendJoin(", ", Columns.Select(c => "`" + c.Name + "`" + (c.NoCase ? " COLLATE NOCASE" : "") + (c.Descending ? " DESC" : "")));
        sb.Append(')');
        if (Where is not null)
        {
            sb.Append(" WHERE ").Append(Where);
        }

        return sb.ToString();
    }

    /// <summary>The CREATE INDEX statement for <paramref name="table"/> in <paramref name="dialect"/>'s SQL.</summary>
    public string ToSql(ISqlDialect dialect, string table)
    {
        var sb = new StringBuilder("CREATE ");
        if (Unique)
        {
            sb.Append("UNIQUE ");
        }

        sb.Append("INDEX ").Append(dialect.Quote(Name)).Append(" ON ").Append(dialect.Quote(table)).Append(" (");
        sb.AppendJoin(", ", Columns.Select(c =>
        {
            var column = dialect.Quote(c.Name);
            return (c.NoCase ? dialect.CaseInsensitiveIndexColumn(column) : column) + (c.Descending ? " DESC" : "");
        }));
        sb.Append(')');
        if (Where is not null)
        {
            // The condition is superuser-written SQL (as in PocketBase); only its identifier quoting is translated.
            sb.Append(" WHERE ").Append(QuotedIdentifier().Replace(Where, m => dialect.Quote(IdentifierOf(m))));
        }

        return sb.ToString();
    }

    private static string IdentifierIn(Group group) => IdentifierOf(IdentifierPattern().Match(group.Value));

    private static string IdentifierOf(Match m)
    {
        for (var g = 1; g < m.Groups.Count; g++)
        {
            if (m.Groups[g].Success && m.Groups[g].Name.All(char.IsDigit))
            {
                return m.Groups[g].Value;
            }
        }

        return "";
    }

    [GeneratedRegex(
        $"""^\s*CREATE\s+(?<unique>UNIQUE\s+)?INDEX\s+(?:IF\s+NOT\s+EXISTS\s+)?(?<name>{Identifier})\s+ON\s+(?<table>{Identifier})\s*\((?<cols>[^()]+)\)\s*(?:WHERE\s+(?<where>.+?))?\s*;?\s*$""",
        RegexOptions.IgnoreCase | RegexOptions.Singleline | RegexOptions.ExplicitCapture)]
    private static partial Regex IndexPattern();

    [GeneratedRegex($"""^\s*{Identifier}(?:\s+COLLATE\s+(?<collate>\w+))?(?:\s+(?<dir>ASC|DESC))?\s*$""", RegexOptions.IgnoreCase)]
    private static partial Regex ColumnPattern();

    [GeneratedRegex($"^{Identifier}$")]
    private static partial Regex IdentifierPattern();

    [GeneratedRegex("""`(\w+)`|\[(\w+)\]""")]
    private static partial Regex QuotedIdentifier();
}
