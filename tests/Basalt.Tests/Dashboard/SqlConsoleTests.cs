using System.Net;
using Basalt.Storage;
using Basalt.Tests.Fixtures;

namespace Basalt.Tests.Dashboard;

/// <summary>
/// <c>POST /api/sql</c>: superusers only, one read-only statement, a row cap and a timeout; every refusal is a 400
/// envelope carrying the database's message in <c>data.query</c>, and no statement can write.
/// </summary>
public abstract class SqlConsoleTests(BasaltServerFixture server)
{
    [Fact]
    public async Task A_select_answers_columns_rows_and_duration()
    {
        var (status, body) = await server.Superuser.PostJsonAsync("/api/sql", new { query = "SELECT 1 AS a, 'x' AS b, NULL AS c" });

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("""["a","b","c"]""", body!["columns"]!.ToJsonString());
        Assert.Equal("""[[1,"x",null]]""", body["rows"]!.ToJsonString());
        Assert.False(body["truncated"]!.GetValue<bool>());
        Assert.True(body["durationMs"]!.GetValue<double>() >= 0);
    }

    [Fact]
    public async Task It_reads_the_system_tables()
    {
        var (status, body) = await server.Superuser.PostJsonAsync("/api/sql", new { query = "SELECT email FROM _superusers" });

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains(BasaltServerFixture.SuperuserEmail, body!["rows"]!.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rows_past_max_rows_are_cut_and_marked_truncated()
    {
        const string Twenty = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 20) SELECT x FROM c";

        var (status, body) = await server.Superuser.PostJsonAsync("/api/sql", new { query = Twenty, maxRows = 5 });
        var (_, all) = await server.Superuser.PostJsonAsync("/api/sql", new { query = Twenty });

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("[[1],[2],[3],[4],[5]]", body!["rows"]!.ToJsonString());
        Assert.True(body["truncated"]!.GetValue<bool>());
        Assert.Equal(20, all!["rows"]!.AsArray().Count);
        Assert.False(all["truncated"]!.GetValue<bool>());
    }

    [Theory]
    [InlineData("DELETE FROM _superusers")]
    [InlineData("UPDATE _superusers SET email = 'x@example.com'")]
    [InlineData("CREATE TABLE sql_console_probe (a INTEGER)")]
    [InlineData("SELECT 1; DELETE FROM _superusers")]
    [InlineData("COMMIT; DELETE FROM _superusers")]
    [InlineData("SELEC 1")]
    [InlineData("SELECT * FROM no_such_table")]
    public async Task Writes_several_statements_and_errors_are_400_with_the_database_message(string query)
    {
        var (status, body) = await server.Superuser.PostJsonAsync("/api/sql", new { query });
        var (_, after) = await server.Superuser.PostJsonAsync("/api/sql", new { query = "SELECT email FROM _superusers" });

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(400, body!["status"]!.GetValue<int>());
        Assert.Equal("sql_error", body["data"]!["query"]!["code"]!.GetValue<string>());
        Assert.False(string.IsNullOrWhiteSpace(body["data"]!["query"]!["message"]!.GetValue<string>()));
        Assert.Contains(BasaltServerFixture.SuperuserEmail, after!["rows"]!.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_statement_past_the_timeout_is_stopped_with_a_400()
    {
        const string Endless = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c";

        var (status, body) = await server.Superuser.PostJsonAsync("/api/sql", new { query = Endless });
        var (next, _) = await server.Superuser.PostJsonAsync("/api/sql", new { query = "SELECT 1" });

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("sql_timeout", body!["data"]!["query"]!["code"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, next);
    }

    public static TheoryData<string, string> BadBodies => new()
    {
        { """{}""", "query" },
        { """{"query": "   "}""", "query" },
        { """{"query": 5}""", "query" },
        { """{"query": "SELECT 1", "maxRows": 0}""", "maxRows" },
        { """{"query": "SELECT 1", "maxRows": 10001}""", "maxRows" },
        { """{"query": "SELECT 1", "maxRows": 1.5}""", "maxRows" },
        { """{"query": "SELECT 1", "maxRows": "ten"}""", "maxRows" },
        { """{"query": "SELECT '""" + new string('x', 100_001) + """'"}""", "query" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task Bad_input_is_a_400_naming_the_field(string json, string field)
    {
        var (status, body) = await server.Superuser.PostJsonAsync("/api/sql", json);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.NotNull(body!["data"]![field]);
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_a_400_envelope()
    {
        var (status, body) = await server.Superuser.PostJsonAsync("/api/sql", "{not json");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(400, body!["status"]!.GetValue<int>());
    }

    [Fact]
    public async Task Guests_get_401_and_users_403()
    {
        var (guest, _) = await server.Guest.PostJsonAsync("/api/sql", new { query = "SELECT 1" });
        var user = await DashboardKit.SignUpUserAsync(server);
        using var client = server.NewClient(user);
        var (signedIn, body) = await client.PostJsonAsync("/api/sql", new { query = "SELECT 1" });

        Assert.Equal(HttpStatusCode.Unauthorized, guest);
        Assert.Equal(HttpStatusCode.Forbidden, signedIn);
        Assert.Equal(403, body!["status"]!.GetValue<int>());
    }
}

public sealed class SqlConsoleSqliteTests(SqliteServerFixture f) : SqlConsoleTests(f), IClassFixture<SqliteServerFixture>;

public sealed class SqlConsolePostgresTests(PostgresServerFixture f) : SqlConsoleTests(f), IClassFixture<PostgresServerFixture>
{
    /// <summary>
    /// PostgreSQL's pools do not reset connections on return (the server's own statements leave no session state), so
    /// the console must not leave any: a session advisory lock it takes is gone as soon as it answers.
    /// </summary>
    [Fact]
    public async Task A_session_lock_taken_in_the_console_is_released_when_it_answers()
    {
        var (status, body) = await f.Superuser.PostJsonAsync("/api/sql", new { query = "SELECT pg_advisory_lock(424242)" });
        Assert.True(status == HttpStatusCode.OK, body?.ToJsonString());

        var database = f.Services.GetRequiredService<IDatabase>();
        var held = await database.ReadAsync(
            (c, ct) => new SqlBuilder(database.Dialect)
                .Append("SELECT COUNT(*) FROM pg_locks WHERE locktype = 'advisory' AND objid = 424242").CountAsync(c, null, ct),
            CancellationToken.None);
        Assert.Equal(0, held);
    }
}
