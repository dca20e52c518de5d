using System.Text.Json.Nodes;
using Basalt.Query;
using Basalt.Storage;

namespace Basalt.Tests.Query;

/// <summary>
/// Runs compiled filters and sorts against real SQLite and real PostgreSQL holding the same rows and checks that
/// both return the expected ids: empty/NULL equality, typed comparisons, LIKE escaping, multi-values as JSON text and
/// ALL/ANY over their items,
/// relations, back-relations, JSON, functions, and sort order of empty relations.
/// </summary>
public sealed class FilterSemanticTests(FilterDatabasesFixture db) : IClassFixture<FilterDatabasesFixture>
{
    private static readonly QueryTestSchema Schema = new();
    private static readonly RecordQueryCompiler Compiler = new(new FixedTimeProvider(new DateTimeOffset(2024, 3, 15, 10, 20, 30, 123, TimeSpan.Zero)));

    public static TheoryData<string, string, string> Filters => new()
    {
        // equality and the empty/NULL normalisation
        { "su", "title = \"hello\"", "p4" },
        { "su", "title = \"\"", "p2" },
        { "su", "title = null", "p2" },
        { "su", "title != \"\"", "p1,p3,p4,p5" },
        { "su", "title != null", "p1,p3,p4,p5" },
        { "su", "views = \"\"", "" },
        { "su", "views != \"\"", "p1,p2,p3,p4,p5" },
        { "su", "views = title", "" },
        { "su", "title = \"'; DROP TABLE posts; --\"", "" },
        { "su", "title = \"`x` \\\" ; --\"", "" },
        // numbers and bools, with literals of other types
        { "su", "views > 5", "p1,p3,p5" },
        { "su", "views = \"10\"", "p1" },
        { "su", "views = 5.5", "p3" },
        { "su", "views >= -3 && views < 1", "p2,p4" },
        { "su", "views = \"abc\"", "" },
        { "su", "views != \"abc\"", "p1,p2,p3,p4,p5" },
        { "su", "published = true", "p1,p3,p5" },
        { "su", "published = 0", "p2,p4" },
        { "su", "published = \"1\"", "p1,p3,p5" },
        { "su", "published != false", "p1,p3,p5" },
        { "su", "published = TRUE && views > 6", "p1,p5" },
        // dates and macros (now = 2024-03-15 10:20:30.123Z)
        { "su", "when < @now", "p1,p2,p3,p4" },
        { "su", "when = \"\"", "p2" },
        { "su", "when >= @todayStart && when <= @todayEnd", "p4" },
        { "su", "when >= @monthStart && when <= @monthEnd", "p1,p4" },
        { "su", "@year = 2024 && @month = 3 && @weekday = 5 && @day = 15", "p1,p2,p3,p4,p5" },
        // LIKE: ASCII-case-insensitive, escaping unless the literal has its own %
        { "su", "title ~ \"hello\"", "p1,p4" },
        { "su", "title ~ \"50%\"", "p3" },
        { "su", "title ~ \"50\\% off\"", "p3" },
        { "su", "title ~ \"_\"", "p3" },
        { "su", "title ~ \"%\"", "p1,p2,p3,p4,p5" },
        { "su", "title ~ \"äbc\"", "" },
        { "su", "title ~ \"Äbc\"", "p5" },
        { "su", "title ~ \"back\\\\slash\"", "p5" },
        { "su", "title !~ \"hello\"", "p2,p3,p5" },
        { "su", "status ~ title", "p2" },
        { "su", "views ~ \"5\"", "p3" },
        { "su", "title:lower = \"hello world\"", "p1" },
        // grouping and precedence
        { "su", "(title = \"hello\" || views = 10) && published = true", "p1" },
        { "su", "title = \"hello\" || views = 10 && published = false", "p4" },
        { "su", "// comment\ntitle = \"hello\" // trailing", "p4" },
        // a plain multi-valued field is one value, its compact JSON text, the same on both databases
        { "su", "tags ~ \"a\"", "p1,p3" },
        { "su", "tags = \"a\"", "" },
        { "su", "tags ?= \"a\"", "" },
        { "su", "tags != \"a\"", "p1,p2,p3,p4,p5" },
        { "su", "tags = '[\"a\",\"b\"]'", "p1" },
        { "su", "tags = '[\"a\"]'", "p3" },
        { "su", "tags = \"[]\"", "p2" },
        { "su", "tags = \"\"", "" },
        { "su", "tags ~ '\",\"'", "p1,p4" },
        { "su", "tags ~ '\", \"'", "" },
        { "su", "tags:lower = '[\"a\"]'", "p3" },
        { "su", "editors ?= \"u2\"", "" },
        { "su", "editors ~ \"u2\"", "p1,p3" },
        { "su", "editors ~ \"u1\" && tags ~ \"c\"", "p4,p5" },
        // :each matches item by item: plain operators mean ALL items, ? means ANY
        { "su", "tags:each = \"a\"", "p3" },
        { "su", "tags:each ?= \"a\"", "p1,p3" },
        { "su", "tags:each ?= \"c\"", "p4,p5" },
        { "su", "tags:each != \"a\"", "p2,p4,p5" },
        { "su", "tags:each ?!= \"a\"", "p1,p2,p4,p5" },
        { "su", "tags:length = 2", "p1,p4" },
        { "su", "tags:each = \"c\"", "p5" },
        { "su", "tags:each ?~ \"b\"", "p1,p4" },
        { "su", "editors:length > 1", "p1,p5" },
        // :each and :length on single values: the one value, and 0 or 1 items (other types keep their value)
        { "su", "status:each = \"draft\"", "p1,p4" },
        { "su", "status:length = 1", "p1,p3,p4,p5" },
        { "su", "author:length = 0", "p2" },
        { "su", "title:length = \"hello\"", "p4" },
        { "su", "title:each ~ \"world\"", "p1" },
        // relations and back-relations
        { "su", "author.name = \"Ann\"", "p1" },
        { "su", "author.name = \"\"", "p2,p4,p5" },
        { "su", "author.age > 1", "p1,p4" },
        { "su", "author = \"\"", "p2" },
        { "su", "author.id = \"\"", "p2,p5" },
        { "su", "editors.name ?= \"Bob\"", "p1,p3" },
        { "su", "editors.name = \"Ann\"", "p4" },
        { "su", "editors.id ?= \"u3\"", "p5" },
        { "su", "editors.id ?= \"u2\"", "p1,p3" },
        { "su", "author.friends.name ?= \"Bob\"", "p1,p4" },
        { "su", "vault.code = \"x\"", "p1" },
        { "su", "comments_via_post.body ?~ \"hi\"", "p1,p3" },
        { "su", "comments_via_post.body = \"hi\"", "p3" },
        { "su", "comments_via_post.hidden ?= true", "p1" },
        { "su", "comments_via_post.user.name ?= \"Bob\"", "p1,p3" },
        { "su", "members_via_posts.role ?= \"admin\"", "p1,p3" },
        { "su", "members_via_posts.role = \"admin\"", "p3" },
        // comparisons on different paths get their own subqueries; on the same path they still see the same row
        { "su", "author.name = \"Ann\" && editors.name ?= \"Bob\"", "p1" },
        { "su", "editors.name ?= \"Ann\" && editors.age > 1", "p4,p5" },
        { "su", "editors.name ?= \"Ann\" && editors.age ?> 5", "p1,p4,p5" },
        { "su", "editors.name ?= \"Bob\" && editors.age ?> 5", "" },
        { "su", "editors.name ?= \"Bob\" && (editors.age ?> 5 || author.name = \"Ann\")", "p1" },
        { "su", "author.name = \"Ann\" || editors.name ?= \"Bob\"", "p1,p3" },
        { "su", "comments_via_post.body ?~ \"hi\" && editors.name ?= \"Bob\" && author.age > 1", "p1" },
        { "su", "comments_via_post.user.name ?= \"Bob\" && comments_via_post.body ?= \"bye\"", "p1" },
        { "su", "comments_via_post.user.name ?= \"Ann\" && comments_via_post.body ?= \"bye\"", "" },
        { "su", "(author.name = \"Ann\" || vault.code = \"x\") && (editors.id ?= \"u3\" || comments_via_post.body ?~ \"hi\")", "p1" },
        // @collection: same name shares one join, aliases are independent
        { "su", "@collection.members.user ?= author && @collection.members.role ?= \"admin\"", "p1" },
        { "su", "@collection.members:m.user ?= author && @collection.members:n.role ?= \"member\"", "p1,p3" },
        { "su", "@collection.members.role = \"admin\"", "" },
        // json paths: typed, no normalisation
        { "su", "data.a.b = 5", "p1" },
        { "su", "data.a.b = \"5\"", "p3" },
        { "su", "data.a.b > 3", "p1" },
        { "su", "data.a.b < \"6\"", "p3" },
        { "su", "data.a.b != 5", "p2,p3,p4,p5" },
        { "su", "data.s = \"x\"", "p1" },
        { "su", "data.s = 5", "p3" },
        { "su", "data.flag = true", "p1" },
        { "su", "data = null", "p2" },
        { "su", "data.a = null", "p2,p4,p5" },
        { "su", "data.a.b ~ \"5\"", "p1,p3" },
        { "su", "data.s = title", "" },
        { "su", "geo.lat > 19", "p1,p3,p4" },
        { "su", "geo.lon < 0", "p4" },
        // functions
        { "su", "geoDistance(geo.lon, geo.lat, 10, 20) < 20", "p1,p3" },
        { "su", "geoDistance(geo.lon, geo.lat, 10, 20) > 5000", "p4" },
        { "su", "strftime('%Y', when) = \"2024\"", "p1,p4" },
        { "su", "strftime('%Y-%m-%d %H:%M:%S', when) = \"2023-12-31 23:59:59\"", "p3" },
        { "su", "strftime('%Y', when) = \"\"", "p2" },
        { "su", "strftime('%m', when, 'start of year') = \"01\"", "p1,p3,p4,p5" },
        { "su", "strftime('%d', when, '+1 day') = \"01\"", "p3" },
        { "su", "strftime('%w', when) = \"0\"", "p3" },
        { "su", "strftime('%j', when) = \"001\"", "p5" },
        { "su", "strftime('%Y', when) = strftime('%Y')", "p1,p4" },
        { "su", "strftime('%s', when) = \"1735689600\"", "p5" },
        // @request for rules: the auth record is read from its table
        { "u1", "author = @request.auth.id", "p1" },
        { "u1", "@request.auth.name = \"Ann\" && published = true", "p1,p3,p5" },
        { "u1", "@request.auth.friends.name ?= author.name", "p3" },
        { "u1", "editors ?= @request.auth.id", "" },
        { "u1", "editors ~ @request.auth.id", "p1,p4,p5" },
        { "u1", "editors.id ?= @request.auth.id", "p1,p4,p5" },
        { "u1", "@request.auth.verified = true && views > 50", "p5" },
        { "u1", "@request.auth.collectionName = \"users\" && views > 50", "p5" },
        { "guest-rule", "@request.auth.id != \"\" || views > 50", "p5" },
        { "guest-rule", "author = @request.auth.id", "p2" },
        { "body", "@request.body.title:changed = true", "p1,p2,p3,p5" },
        { "body", "@request.body.views = views", "p1" },
        { "body", "@request.body.tags:changed = false", "p1" },
        { "body", "@request.body.editors.name ?= author.name", "p1,p3" },
        { "body", "@request.body.title:isset = true && @request.body.nope:isset = false && views > 50", "p5" },
        { "body", "@request.body.tags ?= tags", "" },
        { "body", "@request.body.tags:each ?= tags:each", "p1,p3,p4" },
        { "body", "@request.body.tags = '[\"b\",\"a\"]' && views > 50", "p5" },
        { "body", "@request.query.page = \"2\" && @request.headers.x_token = \"t\" && @request.method = \"GET\" && views > 50", "p5" },
        // client filters: hop targets' listRules are ANDed in (comments hide hidden ones)
        { "client", "comments_via_post.body ?~ \"bye\"", "" },
        { "su", "comments_via_post.body ?~ \"bye\"", "p1" },
        { "client", "comments_via_post.body ?~ \"hi\"", "p1,p3" },
        { "client", "author.email = \"b@x.io\"", "" },
        { "su", "author.email = \"b@x.io\"", "p3" },
    };

    public static TheoryData<string, string> Sorts => new()
    {
        { "-views", "p5,p1,p3,p2,p4" },
        { "views", "p4,p2,p3,p1,p5" },
        { "author.name", "p2,p5,p4,p1,p3" },
        { "-author.name", "p3,p1,p4,p2,p5" },
        { "published,-title", "p4,p2,p5,p1,p3" },
        { "when", "p2,p3,p1,p4,p5" },
        { "+status,-views", "p2,p1,p4,p5,p3" },
        { "title:lower", "p2,p3,p4,p1,p5" },
        { "-geo.lat", "p4,p3,p1,p2,p5" },
    };

    [Theory]
    [MemberData(nameof(Filters))]
    public async Task Filter_returns_the_same_ids_on_sqlite_and_postgres(string who, string filter, string expected)
    {
        var context = Context(who);
        var sqlite = await RunAsync(db.SqliteDialect, db.Sqlite, sql => Compiler.AppendFilter(sql, context, filter), null);
        var postgres = await RunAsync(db.PostgresDialect, db.Postgres!, sql => Compiler.AppendFilter(sql, context, filter), null);
        Assert.Equal(expected, string.Join(',', sqlite));
        Assert.Equal(expected, string.Join(',', postgres));
    }

    [Theory]
    [MemberData(nameof(Sorts))]
    public async Task Sort_orders_the_same_on_sqlite_and_postgres(string sort, string expected)
    {
        var context = Schema.Superuser();
        var sqlite = await RunAsync(db.SqliteDialect, db.Sqlite, null, sql => Compiler.AppendSort(sql, context, sort));
        var postgres = await RunAsync(db.PostgresDialect, db.Postgres!, null, sql => Compiler.AppendSort(sql, context, sort));
        Assert.Equal(expected, string.Join(',', sqlite));
        Assert.Equal(expected, string.Join(',', postgres));
    }

    [Theory]
    [InlineData("su", "author.email", "p2,p5,p1,p3,p4")]
    [InlineData("client", "author.email", "p2,p3,p5,p1,p4")]
    [InlineData("client", "-author.email", "p4,p1,p2,p3,p5")]
    public async Task Client_sort_by_email_treats_emails_hidden_by_their_owner_as_empty(string who, string sort, string expected)
    {
        var context = Context(who);
        var sqlite = await RunAsync(db.SqliteDialect, db.Sqlite, null, sql => Compiler.AppendSort(sql, context, sort));
        var postgres = await RunAsync(db.PostgresDialect, db.Postgres!, null, sql => Compiler.AppendSort(sql, context, sort));
        Assert.Equal(expected, string.Join(',', sqlite));
        Assert.Equal(expected, string.Join(',', postgres));
    }

    [Fact]
    public async Task Sort_keys_with_ties_fall_back_to_the_callers_order_and_random_runs()
    {
        var context = Schema.Superuser();
        foreach (var (dialect, connection) in new (ISqlDialect, System.Data.Common.DbConnection)[] { (db.SqliteDialect, db.Sqlite), (db.PostgresDialect, db.Postgres!) })
        {
            var ids = await RunAsync(dialect, connection, null, sql => Compiler.AppendSort(sql, context, "@random,@rowid"));
            Assert.Equal(5, ids.Count);
        }
    }

    private static FilterContext Context(string who) => who switch
    {
        "su" => Schema.Superuser(),
        "client" => Schema.Context(),
        "u1" => Schema.Context(isRule: true, request: new RequestInfo { Auth = Schema.User() }),
        "guest-rule" => Schema.Context(isRule: true),
        "body" => Schema.Context(isRule: true, request: new RequestInfo
        {
            Body = new JsonObject
            {
                ["title"] = "hello",
                ["views"] = "10",
                ["tags"] = new JsonArray("b", "a"),
                ["editors"] = new JsonArray("u1", "u2"),
            },
            Query = new Dictionary<string, string> { ["page"] = "2" },
            Headers = new Dictionary<string, string> { ["x_token"] = "t" },
        }),
        _ => throw new ArgumentOutOfRangeException(nameof(who)),
    };

    private static async Task<List<string>> RunAsync(
        ISqlDialect dialect, System.Data.Common.DbConnection connection, Action<SqlBuilder>? filter, Action<SqlBuilder>? sort)
    {
        var sql = new SqlBuilder(dialect);
        sql.Append("SELECT ").AppendColumn("m", "id").Append(" FROM ").AppendIdentifier("posts").Append(" AS ").AppendIdentifier("m");
        if (filter is not null)
        {
            sql.Append(" WHERE ");
            filter(sql);
        }

        sql.Append(" ORDER BY ");
        sort?.Invoke(sql);
        sql.Append(sort is null ? "" : ", ").AppendColumn("m", "id");
        try
        {
            return await FilterDatabasesFixture.IdsAsync(connection, sql);
        }
        catch (Exception e)
        {
            throw new InvalidOperationException($"{dialect.Name}: {sql}", e);
        }
    }
}
