using System.Text;
using Basalt.Storage.Schema;

namespace Basalt.Storage.Sqlite;

/// <summary>SQLite's migrations: ALTER where SQLite can, otherwise the documented rebuild (new table, copy, drop, rename).</summary>
public sealed partial class SqliteDialect
{
    private const string RebuildPrefix = "_basalt_new_";

    public string ConvertExpression(string expression, ColumnKind from, ColumnKind to)
    {
        var c = expression;
        if (from == to || (IsText(from) && IsText(to)))
        {
            return c;
        }

        return (from, to) switch
        {
            (_, ColumnKind.GeoPoint) => """'{"lon":0,"lat":0}'""",
            (ColumnKind.GeoPoint, ColumnKind.Json) => c,
            (ColumnKind.GeoPoint, _) => ConvertExpression(DefaultOf(ColumnKind.Text), ColumnKind.Text, to),
            (ColumnKind.Number, ColumnKind.Bool) => $"(COALESCE({c}, 0) <> 0)",
            (ColumnKind.Bool, ColumnKind.Number) => $"(CASE WHEN {c} THEN 1 ELSE 0 END)",
            (ColumnKind.Number, ColumnKind.Json) => $"json(COALESCE({c}, 0))",
            (ColumnKind.Bool, ColumnKind.Json) => $"(CASE WHEN {c} THEN 'true' ELSE 'false' END)",
            (ColumnKind.JsonArray, ColumnKind.Json) => c,
            (ColumnKind.Json, ColumnKind.JsonArray) =>
                $"(CASE WHEN json_valid({c}) AND json_type({c}) = 'array' THEN {c} " +
                $"WHEN json_valid({c}) AND json_type({c}) = 'text' AND json_extract({c}, '$') <> '' THEN json_array(json_extract({c}, '$')) ELSE '[]' END)",
            (_, ColumnKind.PrimaryKey or ColumnKind.Text) => FromToText(c, from),
            (ColumnKind.PrimaryKey or ColumnKind.Text, _) => TextTo(c, to),
            _ => ConvertExpression(FromToText(c, from), ColumnKind.Text, to),
        };
    }

    public IReadOnlyList<string> AlterTable(TableAlteration alteration)
    {
        var table = Quote(alteration.Table);
        var rebuild = alteration.DroppedColumns.Count > 0 ||
            alteration.Columns.Any(c => c.IsConverted || (c.IsNew && c.Kind == ColumnKind.PrimaryKey));
        if (rebuild)
        {
            return Rebuild(alteration);
        }

        var statements = new List<string>();
        var renamed = alteration.Columns.Where(c => c.IsRenamed).ToList();

        // Two steps, so swapping two names (a→b, b→a) never collides.
        foreach (var c in renamed)
        {
            statements.Add($"ALTER TABLE {table} RENAME COLUMN {Quote(c.OldName!)} TO {Quote(TemporaryName(c))}");
        }

        foreach (var c in renamed)
        {
            statements.Add($"ALTER TABLE {table} RENAME COLUMN {Quote(TemporaryName(c))} TO {Quote(c.Name)}");
        }

        foreach (var c in alteration.Columns.Where(c => c.IsNew))
        {
            statements.Add($"ALTER TABLE {table} ADD COLUMN {Quote(c.Name)} {ColumnDefinition(c.Kind)}");
        }

        return statements;
    }

    private List<string> Rebuild(TableAlteration alteration)
    {
        var table = Quote(alteration.Table);
        var temporary = Quote(RebuildPrefix + alteration.Table);
        var create = new StringBuilder($"CREATE TABLE {temporary} (");
        create.AppendJoin(", ", alteration.Columns.Select(c => Quote(c.Name) + " " + ColumnDefinition(c.Kind)));
        create.Append(')');
        var copied = alteration.Columns.Where(c => !c.IsNew).ToList();
        var statements = new List<string> { create.ToString() };
        if (copied.Count > 0)
        {
            var columns = string.Join(", ", copied.Select(c => Quote(c.Name)));
            var values = string.Join(", ", copied.Select(c => ConvertExpression(Quote(c.OldName!), c.OldKind!.Value, c.Kind)));
            statements.Add($"INSERT INTO {temporary} ({columns}) SELECT {values} FROM {table}");
        }

        statements.Add($"DROP TABLE {table}");

        // Views that read this table would make a modern RENAME fail its schema check while the table is missing;
        // the legacy rename leaves them alone, and they resolve again once the new table has the old name.
        statements.Add("PRAGMA legacy_alter_table=ON");
        statements.Add($"ALTER TABLE {temporary} RENAME TO {table}");
        statements.Add("PRAGMA legacy_alter_table=OFF");
        return statements;
    }

    private static string TemporaryName(ColumnPlan c) => "_basalt_tmp_" + c.Name;

    private static bool IsText(ColumnKind kind) => kind is ColumnKind.Text or ColumnKind.PrimaryKey;

    private static string DefaultOf(ColumnKind kind) => kind switch
    {
        ColumnKind.Number or ColumnKind.Bool => "0",
        ColumnKind.JsonArray => "'[]'",
        ColumnKind.Json => "NULL",
        ColumnKind.GeoPoint => """'{"lon":0,"lat":0}'""",
        _ => "''",
    };

    private static string FromToText(string c, ColumnKind from) => from switch
    {
        ColumnKind.Number => $"COALESCE(CAST({c} AS TEXT), '')",
        ColumnKind.Bool => $"(CASE WHEN {c} THEN 'true' ELSE 'false' END)",
        ColumnKind.JsonArray => $"(CASE WHEN json_valid({c}) THEN COALESCE(CAST(json_extract({c}, '$[0]') AS TEXT), '') ELSE '' END)",
        ColumnKind.Json => $"(CASE WHEN {c} IS NULL THEN '' WHEN json_valid({c}) AND json_type({c}) = 'text' THEN json_extract({c}, '$') ELSE {c} END)",
        _ => $"COALESCE({c}, '')",
    };

    private static string TextTo(string c, ColumnKind to) => to switch
    {
        ColumnKind.Number => $"COALESCE(CAST(TRIM({c}) AS NUMERIC), 0)",
        ColumnKind.Bool => $"(LOWER(TRIM({c})) IN ('1', 'true'))",
        ColumnKind.JsonArray => $"(CASE WHEN COALESCE({c}, '') = '' THEN '[]' ELSE json_array({c}) END)",
        ColumnKind.Json => $"(CASE WHEN COALESCE({c}, '') = '' THEN NULL ELSE json_quote({c}) END)",
        _ => DefaultOf(to),
    };
}
