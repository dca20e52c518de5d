using System.Text.Json.Nodes;
using Basalt.Query;
using Basalt.Storage;
using Basalt.Storage.Postgres;
using Basalt.Storage.Sqlite;

namespace Basalt.Tests.Query;

/// <summary>Compiles every <see cref="FilterGoldenCases"/> row for both dialects and compares SQL and parameters exactly.</summary>
public sealed class SqlCompilerGoldenTests
{
    private static readonly QueryTestSchema Schema = new();
    private static readonly RecordQueryCompiler Compiler = new(new FixedTimeProvider(new DateTimeOffset(2024, 3, 15, 10, 20, 30, 123, TimeSpan.Zero)));

    public static TheoryData<int, string> Rows
    {
        get
        {
            var data = new TheoryData<int, string>();
            for (var i = 0; i < FilterGoldenCases.All.Length; i++)
            {
                data.Add(i, FilterGoldenCases.All[i].Filter);
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void Filter_compiles_to_the_golden_sql_on_sqlite(int row, string filter)
    {
        var golden = FilterGoldenCases.All[row];
        var sql = Compile(new SqliteDialect(), golden.Who, filter);
        Assert.Equal(golden.Sqlite, sql.ToString());
        Assert.Equal(golden.Parameters, sql.Parameters.Select(p => p.Value).ToArray());
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void Filter_compiles_to_the_golden_sql_on_postgres(int row, string filter)
    {
        var golden = FilterGoldenCases.All[row];
        var sql = Compile(new PostgresDialect(), golden.Who, filter);
        Assert.Equal(golden.Postgres ?? golden.Sqlite, sql.ToString());
        Assert.Equal(golden.PostgresParameters ?? golden.Parameters, sql.Parameters.Select(p => p.Value).ToArray());
    }

    [Fact]
    public void Empty_filter_is_true()
    {
        var sql = new SqlBuilder(new SqliteDialect());
        Compiler.AppendFilter(sql, Schema.Superuser(), "  ");
        Assert.Equal("(1=1)", sql.ToString());
    }

    [Theory]
    [InlineData("-views", "\"m\".\"views\" DESC", "\"m\".\"views\" DESC")]
    [InlineData("+title,views", "\"m\".\"title\" ASC, \"m\".\"views\" ASC", "\"m\".\"title\" ASC, \"m\".\"views\" ASC")]
    [InlineData("@random", "RANDOM()", "RANDOM()")]
    [InlineData("-@rowid", "\"m\"._rowid_ DESC", "\"m\".\"_rowid_\" DESC")]
    [InlineData(
        "author.name",
        "(SELECT \"__j1\".\"name\" FROM (SELECT 1) AS \"__d2\" LEFT JOIN \"users\" AS \"__j1\" ON \"__j1\".\"id\" = \"m\".\"author\" LIMIT 1) ASC",
        "(SELECT \"__j1\".\"name\" FROM (SELECT 1) AS \"__d2\" LEFT JOIN \"users\" AS \"__j1\" ON \"__j1\".\"id\" = \"m\".\"author\" LIMIT 1) ASC NULLS FIRST")]
    [InlineData(
        "-data.a",
        "json_extract(\"m\".\"data\", '$.a') DESC",
        "(\"m\".\"data\" #> '{a}') DESC NULLS LAST")]
    [InlineData(
        "tags, title:lower",
        "(SELECT json_group_array(\"__jt1\".\"value\") FROM json_each(\"m\".\"tags\") AS \"__jt1\") ASC, LOWER(\"m\".\"title\") ASC",
        "(SELECT '[' || COALESCE(string_agg(CAST(\"__jt1\".\"value\" AS TEXT), ',' ORDER BY \"__jt1\".\"n\"), '') || ']' FROM jsonb_array_elements(\"m\".\"tags\") WITH ORDINALITY AS \"__jt1\"(\"value\", \"n\")) ASC, LOWER(\"m\".\"title\") ASC")]
    public void Sort_compiles_to_order_by_items(string sort, string sqlite, string postgres)
    {
        foreach (var (dialect, expected) in new (ISqlDialect, string)[] { (new SqliteDialect(), sqlite), (new PostgresDialect(), postgres) })
        {
            var sql = new SqlBuilder(dialect);
            Compiler.AppendSort(sql, Schema.Superuser(), sort);
            Assert.Equal(expected, sql.ToString());
            Assert.Empty(sql.Parameters);
        }
    }

    private static SqlBuilder Compile(ISqlDialect dialect, string who, string filter)
    {
        var context = who switch
        {
            "su" => Schema.Superuser(),
            "client" => Schema.Context(),
            _ => Schema.Context(isRule: true, request: new RequestInfo
            {
                Auth = Schema.User(),
                Body = new JsonObject { ["title"] = "x", ["tags"] = new JsonArray("a") },
                Query = new Dictionary<string, string> { ["q"] = "1" },
                Headers = new Dictionary<string, string> { ["x_a"] = "h" },
            }),
        };
        var sql = new SqlBuilder(dialect);
        Compiler.AppendFilter(sql, context, filter);
        return sql;
    }
}
