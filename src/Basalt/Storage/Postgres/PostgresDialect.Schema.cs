using Basalt.Storage.Schema;

namespace Basalt.Storage.Postgres;

/// <summary>PostgreSQL's migrations: transactional ALTER TABLE, with <c>USING</c> to convert values in place.</summary>
public sealed partial class PostgresDialect
{
    private const string NumberPattern = @"'^\s*[-+]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?\s*$'";

    public string ConvertExpression(string expression, ColumnKind from, ColumnKind to)
    {
        var c = expression;
        if (from == to || (IsText(from) && IsText(to)))
        {
            return c;
        }

        return (from, to) switch
        {
            (_, ColumnKind.GeoPoint) => """'{"lon":0,"lat":0}'::jsonb""",
            (ColumnKind.GeoPoint, ColumnKind.Json) => c,
            (ColumnKind.GeoPoint, _) => ConvertExpression("''", ColumnKind.Text, to),
            (ColumnKind.Number, ColumnKind.Bool) => $"(COALESCE({c}, 0) <> 0)",
            (ColumnKind.Bool, ColumnKind.Number) => $"(CASE WHEN {c} THEN 1 ELSE 0 END)::double precision",
            (ColumnKind.Number or ColumnKind.Bool, ColumnKind.Json) => $"to_jsonb({c})",
            (ColumnKind.JsonArray, ColumnKind.Json) => c,
            (ColumnKind.Json, ColumnKind.JsonArray) =>
                $"(CASE WHEN jsonb_typeof({c}) = 'array' THEN {c} " +
                $"WHEN jsonb_typeof({c}) = 'string' AND {c} #>> '{{}}' <> '' THEN jsonb_build_array({c} #>> '{{}}') ELSE '[]'::jsonb END)",
            (_, ColumnKind.PrimaryKey or ColumnKind.Text) => FromToText(c, from),
            (ColumnKind.PrimaryKey or ColumnKind.Text, _) => TextTo(c, to),
            _ => ConvertExpression(FromToText(c, from), ColumnKind.Text, to),
        };
    }

    public IReadOnlyList<string> AlterTable(TableAlteration alteration)
    {
        var table = Quote(alteration.Table);
        var statements = new List<string>();
        foreach (var dropped in alteration.DroppedColumns)
        {
            statements.Add($"ALTER TABLE {table} DROP COLUMN {Quote(dropped)}");
        }

        // Two steps, so swapping two names (a→b, b→a) never collides.
        var renamed = alteration.Columns.Where(c => c.IsRenamed).ToList();
        foreach (var c in renamed)
        {
            statements.Add($"ALTER TABLE {table} RENAME COLUMN {Quote(c.OldName!)} TO {Quote("_basalt_tmp_" + c.Name)}");
        }

        foreach (var c in renamed)
        {
            statements.Add($"ALTER TABLE {table} RENAME COLUMN {Quote("_basalt_tmp_" + c.Name)} TO {Quote(c.Name)}");
        }

        foreach (var c in alteration.Columns.Where(c => c.IsConverted))
        {
            var column = Quote(c.Name);
            var (type, defaultValue, notNull) = Parts(c.Kind);
            var converted = ConvertExpression(column, c.OldKind!.Value, c.Kind);
            statements.Add(
                $"ALTER TABLE {table} ALTER COLUMN {column} DROP DEFAULT, " +
                $"ALTER COLUMN {column} DROP NOT NULL, " +
                $"ALTER COLUMN {column} TYPE {type} USING {converted}");
            if (defaultValue is not null)
            {
                statements.Add($"UPDATE {table} SET {column} = {defaultValue} WHERE {column} IS NULL");
                statements.Add($"ALTER TABLE {table} ALTER COLUMN {column} SET DEFAULT {defaultValue}");
            }

            if (notNull)
            {
                statements.Add($"ALTER TABLE {table} ALTER COLUMN {column} SET NOT NULL");
            }
        }

        foreach (var c in alteration.Columns.Where(c => c.IsNew))
        {
            statements.Add($"ALTER TABLE {table} ADD COLUMN {Quote(c.Name)} {ColumnDefinition(c.Kind)}");
        }

        return statements;
    }

    private static (string Type, string? Default, bool NotNull) Parts(ColumnKind kind) => kind switch
    {
        ColumnKind.PrimaryKey => ("TEXT", null, true),
        ColumnKind.Text => ("TEXT", "''", true),
        ColumnKind.Number => ("DOUBLE PRECISION", "0", true),
        ColumnKind.Bool => ("BOOLEAN", "FALSE", true),
        ColumnKind.JsonArray => ("JSONB", "'[]'::jsonb", true),
        ColumnKind.Json => ("JSONB", null, false),
        _ => ("JSONB", """'{"lon":0,"lat":0}'::jsonb""", true),
    };

    private static bool IsText(ColumnKind kind) => kind is ColumnKind.Text or ColumnKind.PrimaryKey;

    private static string FromToText(string c, ColumnKind from) => from switch
    {
        ColumnKind.Number => $"COALESCE({c}::text, '')",
        ColumnKind.Bool => $"(CASE WHEN {c} THEN 'true' ELSE 'false' END)",
        ColumnKind.JsonArray => $"COALESCE({c} ->> 0, '')",
        ColumnKind.Json => $"COALESCE({c} #>> '{{}}', '')",
        _ => $"COALESCE({c}, '')",
    };

    private static string TextTo(string c, ColumnKind to) => to switch
    {
        ColumnKind.Number => $"(CASE WHEN {c} ~ {NumberPattern} THEN trim({c})::double precision ELSE 0 END)",
        ColumnKind.Bool => $"(lower(trim(COALESCE({c}, ''))) IN ('1', 'true'))",
        ColumnKind.JsonArray => $"(CASE WHEN COALESCE({c}, '') = '' THEN '[]'::jsonb ELSE jsonb_build_array({c}) END)",
        ColumnKind.Json => $"(CASE WHEN COALESCE({c}, '') = '' THEN NULL ELSE to_jsonb({c}) END)",
        _ => "''",
    };
}
