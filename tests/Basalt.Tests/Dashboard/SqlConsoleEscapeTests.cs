using System.Net;
using Basalt.Tests.Fixtures;

namespace Basalt.Tests.Dashboard;

/// <summary>
/// <c>POST /api/sql</c> cannot reach the host: statements that write files, attach databases, change settings, run
/// programs or signal other sessions are a 400 envelope on both databases, and no file appears.
/// </summary>
public abstract class SqlConsoleEscapeTests(BasaltServerFixture server)
{
    private static readonly string Probe = Path.Combine(Path.GetTempPath(), "basalt-sql-escape-" + Guid.NewGuid().ToString("N"));

    public static TheoryData<string> Escapes => new()
    {
        "VACUUM INTO '{probe}'",
        "ATTACH DATABASE '{probe}' AS x",
        "/* hidden */ ATTACH '{probe}' AS x",
        "PRAGMA writable_schema = 1",
        "PRAGMA journal_mode = DELETE",
        "PRAGMA query_only = 0",
        "PRAGMA wal_checkpoint(TRUNCATE)",
        "SELECT load_extension('{probe}')",
        "CREATE TEMP TABLE t (a INTEGER)",
        "COPY (SELECT 1) TO PROGRAM 'touch {probe}'",
        "COPY (SELECT 1) TO '{probe}'",
        "SELECT pg_read_file('/etc/hostname')",
        "SELECT \"pg_catalog\".\"PG_READ_FILE\"('/etc/hostname')",
        "SELECT lo_export(0, '{probe}')",
        "SET ROLE postgres",
        "SELECT set_config('statement_timeout', '0', false)",
        "SELECT query_to_xml('select 1', true, false, '')",
        "SELECT pg_terminate_backend(pg_backend_pid())",
        "SELECT pg_reload_conf()",
        "SELECT U&\"\\0070g_read_file\"('/etc/hostname')",
        "EXPLAIN ANALYZE SELECT pg_read_file('/etc/hostname')",
        "/* /* */ SELECT */ COPY (SELECT 1) TO '{probe}'",
    };

    [Theory]
    [MemberData(nameof(Escapes))]
    public async Task A_statement_reaching_past_reading_is_a_400_and_leaves_no_file(string template)
    {
        var query = template.Replace("{probe}", Probe, StringComparison.Ordinal);

        var (status, body) = await server.Superuser.PostJsonAsync("/api/sql", new { query });

        Assert.True(status == HttpStatusCode.BadRequest, body?.ToJsonString());
        Assert.Equal(400, body!["status"]!.GetValue<int>());
        Assert.Equal("sql_error", body["data"]!["query"]!["code"]!.GetValue<string>());
        Assert.False(File.Exists(Probe));
    }

    [Theory]
    [InlineData("select 1")]
    [InlineData("  -- a note\n SELECT 1")]
    [InlineData("/* a note */ SELECT 1")]
    [InlineData("WITH x(a) AS (SELECT 1) SELECT a FROM x")]
    [InlineData("VALUES (1)")]
    [InlineData("EXPLAIN SELECT 1")]
    public async Task Reading_statements_still_run(string query)
    {
        var (status, body) = await server.Superuser.PostJsonAsync("/api/sql", new { query });

        Assert.True(status == HttpStatusCode.OK, body?.ToJsonString());
    }

    [Fact]
    public async Task A_result_past_the_size_cap_is_a_400_not_an_out_of_memory()
    {
        var query = server is PostgresServerFixture
            ? "SELECT repeat('x', 1000000) FROM generate_series(1, 200)"
            : "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 200) SELECT zeroblob(1000000) FROM c";

        var (status, body) = await server.Superuser.PostJsonAsync("/api/sql", new { query });

        Assert.True(status == HttpStatusCode.BadRequest, body?.ToJsonString());
        Assert.Equal("sql_error", body!["data"]!["query"]!["code"]!.GetValue<string>());
    }
}

public sealed class SqlConsoleEscapeSqliteTests(SqliteServerFixture f) : SqlConsoleEscapeTests(f), IClassFixture<SqliteServerFixture>
{
    [Theory]
    [InlineData("PRAGMA table_info(_superusers)")]
    [InlineData("PRAGMA user_version")]
    [InlineData("SELECT name FROM pragma_table_info('_superusers')")]
    public async Task Schema_pragmas_that_only_read_still_run(string query)
    {
        var (status, body) = await f.Superuser.PostJsonAsync("/api/sql", new { query });

        Assert.True(status == HttpStatusCode.OK, body?.ToJsonString());
    }

    [Fact]
    public async Task A_single_value_past_the_length_cap_is_a_400()
    {
        var (status, body) = await f.Superuser.PostJsonAsync("/api/sql", new { query = "SELECT length(randomblob(900000000))" });

        Assert.True(status == HttpStatusCode.BadRequest, body?.ToJsonString());
    }
}

public sealed class SqlConsoleEscapePostgresTests(PostgresServerFixture f) : SqlConsoleEscapeTests(f), IClassFixture<PostgresServerFixture>;
