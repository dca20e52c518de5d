using System.Text.RegularExpressions;

namespace Basalt.Collections;

/// <summary>
/// Token-level guards for SQL a superuser writes (view queries, index WHERE clauses): no statement separators,
/// no writes or DDL, no functions that reach outside the database, no quoting tricks that could hide tokens from these checks.
/// </summary>
internal static partial class ViewQueryRules
{
    private static readonly HashSet<string> ForbiddenWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "insert", "update", "delete", "drop", "attach", "detach", "pragma", "create", "alter", "vacuum", "reindex",
        "grant", "revoke", "truncate", "into", "merge", "upsert", "returning", "savepoint", "rollback", "commit", "execute",
    };

    /// <summary>Functions that reach outside the database; refused bare or quoted (a keyword quoted is only a name).</summary>
    private static readonly HashSet<string> ForbiddenFunctions = new(StringComparer.OrdinalIgnoreCase)
    {
        "load_extension", "readfile", "writefile", "edit", "fts3_tokenizer", "dblink", "dblink_exec",
        "query_to_xml", "query_to_xml_and_xmlschema", "table_to_xml", "cursor_to_xml", "nextval", "setval",
        "set_config", "current_setting",
    };

    /// <summary>True for <c>^\w+$</c> names.</summary>
    public static bool IsPlainName(string name) => PlainName().IsMatch(name);

    /// <summary>A description of the first token that is not allowed, or null when every token is acceptable.</summary>
    public static string? FindForbidden(IReadOnlyList<SqlToken> tokens)
    {
        foreach (var token in tokens)
        {
            switch (token.Kind)
            {
                // A quoted name calls a function just as a bare one does: "pg_read_file"('…') on PostgreSQL.
                case SqlTokenKind.Word when ForbiddenWords.Contains(token.Text) || IsForbiddenFunction(token.Text):
                    return "\"" + token.Text + "\"";
                case SqlTokenKind.Identifier when IsForbiddenFunction(token.Text.Trim()):
                    return "\"" + token.Text + "\"";
                case SqlTokenKind.Symbol when token.Text is ";" or "?" or "$" or "@" or ":" or "\\" or "{" or "}":
                    return "\"" + token.Text + "\"";
                case SqlTokenKind.String when token.Text.Contains('\\', StringComparison.Ordinal):
                    return "a backslash in a string literal";
                case SqlTokenKind.Identifier when !QuotedName().IsMatch(token.Text):
                    return "the quoted identifier \"" + token.Text + "\"";
            }
        }

        return null;
    }

    private static bool IsForbiddenFunction(string name) =>
        ForbiddenFunctions.Contains(name)
        || name.StartsWith("pg_", StringComparison.OrdinalIgnoreCase)
        || name.StartsWith("lo_", StringComparison.OrdinalIgnoreCase);

    public static bool BalancedParentheses(IReadOnlyList<SqlToken> tokens)
    {
        var depth = 0;
        foreach (var token in tokens)
        {
            if (token.IsSymbol("("))
            {
                depth++;
            }
            else if (token.IsSymbol(")") && --depth < 0)
            {
                return false;
            }
        }

        return depth == 0;
    }

    [GeneratedRegex("^[A-Za-z0-9_]+$")]
    private static partial Regex PlainName();

    [GeneratedRegex("^[A-Za-z0-9_ ]+$")]
    private static partial Regex QuotedName();
}
