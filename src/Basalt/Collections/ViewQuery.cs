using System.Text.Json.Nodes;
using Basalt.Model;

namespace Basalt.Collections;

/// <summary>
/// Checks a view collection's query (exactly one read-only SELECT that selects <c>id</c> and no <c>*</c>) and derives
/// the view's fields from its select list: a column taken straight from a collection keeps that field's type,
/// <c>count(...)</c> is a number, <c>CAST(x AS type)</c> picks the type, anything else is json.
/// </summary>
internal static class ViewQuery
{
    private static readonly HashSet<string> ClauseEnd = new(StringComparer.OrdinalIgnoreCase)
    {
        "where", "group", "order", "limit", "having", "window", "union", "intersect", "except", "offset",
    };

    private static readonly HashSet<string> NotAlias = new(StringComparer.OrdinalIgnoreCase)
    {
        "on", "join", "left", "right", "inner", "outer", "cross", "full", "natural", "using", "where", "group", "order",
        "limit", "having", "window", "union", "intersect", "except", "offset", "lateral",
    };

    /// <summary>The derived fields, or null with <paramref name="error"/> set when the query is not acceptable.</summary>
    public static List<Field>? DeriveFields(string query, ICollectionLookup lookup, out string? error)
    {
        var tokens = Statement(query, out error);
        if (tokens is null)
        {
            return null;
        }

        var fromIndex = FindTopLevel(tokens, 1, t => t.IsWord("from"));
        var start = tokens.Count > 1 && (tokens[1].IsWord("distinct") || tokens[1].IsWord("all")) ? 2 : 1;
        var selectList = tokens.GetRange(start, (fromIndex < 0 ? tokens.Count : fromIndex) - start);
        var sources = fromIndex < 0 ? [] : Sources(tokens, fromIndex, lookup);

        var fields = new List<Field>();
        foreach (var item in SplitTopLevel(selectList))
        {
            var field = DeriveField(item, sources, out error);
            if (field is null)
            {
                return null;
            }

            if (fields.Any(f => string.Equals(f.Name, field.Name, StringComparison.OrdinalIgnoreCase)))
            {
                error = "The column \"" + field.Name + "\" is selected more than once.";
                return null;
            }

            fields.Add(field);
        }

        var idIndex = fields.FindIndex(f => f.Name == "id");
        if (idIndex < 0)
        {
            error = "The view query must select an \"id\" column.";
            return null;
        }

        var id = CollectionScaffolds.IdField();
        id.Options["min"] = 0;
        id.Options["max"] = 0;
        id.Options["pattern"] = "";
        id.Options["autogeneratePattern"] = "";
        fields[idIndex] = id;
        return fields;
    }

    /// <summary>The tables and views named after FROM or JOIN anywhere in the query (for dependency checks).</summary>
    public static IReadOnlyList<string> ReferencedTables(string query)
    {
        var tokens = SqlTokenizer.Tokenize(query, out _) ?? [];
        var names = new List<string>();
        for (var i = 0; i + 1 < tokens.Count; i++)
        {
            if ((tokens[i].IsWord("from") || tokens[i].IsWord("join") || (tokens[i].IsSymbol(",") && InFromClause(tokens, i)))
                && tokens[i + 1].IsName)
            {
                names.Add(tokens[i + 1].Text);
            }
        }

        return names;
    }

    /// <summary>The tokens of one SELECT statement (a trailing semicolon removed), or null with <paramref name="error"/>.</summary>
    public static List<SqlToken>? Statement(string query, out string? error)
    {
        var tokens = SqlTokenizer.Tokenize(query, out error);
        if (tokens is null)
        {
            return null;
        }

        while (tokens.Count > 0 && tokens[^1].IsSymbol(";"))
        {
            tokens.RemoveAt(tokens.Count - 1);
        }

        if (tokens.Count == 0 || !tokens[0].IsWord("select"))
        {
            error = "The view query must be a single SELECT statement.";
            return null;
        }

        if (ViewQueryRules.FindForbidden(tokens) is { } bad)
        {
            error = "The view query must be a single read-only SELECT statement; " + bad + " is not allowed.";
            return null;
        }

        if (!ViewQueryRules.BalancedParentheses(tokens))
        {
            error = "Unbalanced parentheses.";
            return null;
        }

        return tokens;
    }

    private static Field? DeriveField(List<SqlToken> item, Dictionary<string, Collection?> sources, out string? error)
    {
        error = null;
        if (item.Count == 0)
        {
            error = "Empty select expression.";
            return null;
        }

        if (item[^1].IsSymbol("*"))
        {
            error = "The view query may not select \"*\"; list the columns.";
            return null;
        }

        string? alias = null;
        var expr = item;
        if (item.Count >= 2 && item[^2].IsWord("as") && item[^1].IsName)
        {
            alias = item[^1].Text;
            expr = item.GetRange(0, item.Count - 2);
        }
        else if (item.Count >= 2 && item[^1].IsName && (item[^2].IsName || item[^2].IsSymbol(")") || item[^2].Kind is SqlTokenKind.String or SqlTokenKind.Number))
        {
            alias = item[^1].Text;
            expr = item.GetRange(0, item.Count - 1);
        }

        var column = ColumnRef(expr);
        var name = alias ?? column?.Column;
        if (name is null)
        {
            error = "Every computed column of a view query needs an alias (expression AS name).";
            return null;
        }

        if (!ViewQueryRules.IsPlainName(name) || name.Length > 100)
        {
            error = "The column name \"" + name + "\" is not a valid field name.";
            return null;
        }

        var field = DeriveType(expr, column, sources);
        field.Name = name;
        return field;
    }

    private static Field DeriveType(List<SqlToken> expr, (string? Table, string Column)? column, Dictionary<string, Collection?> sources)
    {
        if (column is { } c)
        {
            var source = c.Table is not null
                ? sources.GetValueOrDefault(c.Table)
                : sources.Values.FirstOrDefault(s => s?.FindField(c.Column) is not null);
            if (source?.FindField(c.Column) is { } original)
            {
                var copy = original.Clone();
                copy.Id = "";
                copy.System = false;
                return copy;
            }

            return FieldOptions.NewField(FieldType.Json, "");
        }

        if (expr.Count >= 3 && expr[0].IsWord("count") && expr[1].IsSymbol("("))
        {
            return FieldOptions.NewField(FieldType.Number, "", new JsonObject { ["onlyInt"] = true });
        }

        if (expr.Count >= 6 && expr[0].IsWord("cast") && expr[1].IsSymbol("(") && expr[^1].IsSymbol(")")
            && FindTopLevel(expr, 2, t => t.IsWord("as")) is var asIndex && asIndex > 0 && expr[asIndex + 1].Kind == SqlTokenKind.Word)
        {
            return FieldOptions.NewField(CastType(expr[asIndex + 1].Text), "");
        }

        return FieldOptions.NewField(FieldType.Json, "");
    }

    private static string CastType(string sqlType) => sqlType.ToLowerInvariant() switch
    {
        "int" or "integer" or "bigint" or "smallint" or "real" or "numeric" or "decimal" or "float" or "double" => FieldType.Number,
        "text" or "varchar" or "char" or "character" or "string" => FieldType.Text,
        "bool" or "boolean" => FieldType.Bool,
        _ => FieldType.Json,
    };

    private static (string? Table, string Column)? ColumnRef(List<SqlToken> expr) => expr switch
    {
        [{ IsName: true } only] when !only.IsWord("null") => (null, only.Text),
        [{ IsName: true } table, { Text: "." }, { IsName: true } col] => (table.Text, col.Text),
        _ => null,
    };

    /// <summary>Maps each alias (and table name) in the FROM clause to its collection; subqueries map to null.</summary>
    private static Dictionary<string, Collection?> Sources(List<SqlToken> tokens, int fromIndex, ICollectionLookup lookup)
    {
        var sources = new Dictionary<string, Collection?>(StringComparer.OrdinalIgnoreCase);
        var end = FindTopLevel(tokens, fromIndex + 1, t => t.Kind == SqlTokenKind.Word && ClauseEnd.Contains(t.Text));
        end = end < 0 ? tokens.Count : end;
        var expectTable = true;
        for (var i = fromIndex + 1; i < end; i++)
        {
            var t = tokens[i];
            if (t.IsSymbol("("))
            {
                i = SkipParentheses(tokens, i);
                if (expectTable)
                {
                    var aliasAt = i + 1 < end && tokens[i + 1].IsWord("as") ? i + 2 : i + 1;
                    if (aliasAt < end && tokens[aliasAt].IsName && !NotAlias.Contains(tokens[aliasAt].Text))
                    {
                        sources[tokens[aliasAt].Text] = null;
                    }

                    expectTable = false;
                }

                continue;
            }

            if (t.IsWord("join") || t.IsSymbol(","))
            {
                expectTable = true;
                continue;
            }

            if (expectTable && t.IsName)
            {
                var collection = lookup.Find(t.Text);
                sources[t.Text] = collection;
                var aliasAt = i + 1 < end && tokens[i + 1].IsWord("as") ? i + 2 : i + 1;
                if (aliasAt < end && tokens[aliasAt].IsName && !NotAlias.Contains(tokens[aliasAt].Text))
                {
                    sources[tokens[aliasAt].Text] = collection;
                    i = aliasAt;
                }

                expectTable = false;
            }
        }

        return sources;
    }

    private static bool InFromClause(List<SqlToken> tokens, int index)
    {
        for (var i = index - 1; i >= 0; i--)
        {
            if (tokens[i].IsWord("from"))
            {
                return true;
            }

            if (tokens[i].IsWord("select") || tokens[i].IsWord("where") || tokens[i].IsWord("group") || tokens[i].IsWord("order") || tokens[i].IsSymbol("("))
            {
                return false;
            }
        }

        return false;
    }

    private static int SkipParentheses(List<SqlToken> tokens, int open)
    {
        var depth = 0;
        for (var i = open; i < tokens.Count; i++)
        {
            if (tokens[i].IsSymbol("("))
            {
                depth++;
            }
            else if (tokens[i].IsSymbol(")") && --depth == 0)
            {
                return i;
            }
        }

        return tokens.Count - 1;
    }

    private static int FindTopLevel(List<SqlToken> tokens, int from, Func<SqlToken, bool> match)
    {
        var depth = 0;
        for (var i = from; i < tokens.Count; i++)
        {
            if (tokens[i].IsSymbol("("))
            {
                depth++;
            }
            else if (tokens[i].IsSymbol(")"))
            {
                depth--;
            }
            else if (depth == 0 && match(tokens[i]))
            {
                return i;
            }
        }

        return -1;
    }

    private static List<List<SqlToken>> SplitTopLevel(List<SqlToken> tokens)
    {
        var items = new List<List<SqlToken>> { new() };
        var depth = 0;
        foreach (var t in tokens)
        {
            depth += t.IsSymbol("(") ? 1 : t.IsSymbol(")") ? -1 : 0;
            if (depth == 0 && t.IsSymbol(","))
            {
                items.Add([]);
            }
            else
            {
                items[^1].Add(t);
            }
        }

        return items;
    }
}
