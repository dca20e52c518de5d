using Basalt.Errors;
using Basalt.Query;
using Basalt.Storage;
using Basalt.Storage.Postgres;
using Basalt.Storage.Sqlite;

namespace Basalt.Tests.Query;

/// <summary>Unusable filters and sorts: always an <see cref="ApiError"/> (400 generic, or 403 for @request/@collection), never raw SQL or another exception.</summary>
public sealed class FilterErrorTests
{
    private static readonly QueryTestSchema Schema = new();
    private static readonly RecordQueryCompiler Compiler = new();

    [Theory]
    [InlineData("title =")]
    [InlineData("title \"x\"")]
    [InlineData("= 1")]
    [InlineData("(title = \"a\"")]
    [InlineData("title = \"a\")")]
    [InlineData("()")]
    [InlineData("title = \"unterminated")]
    [InlineData("title = 'x\\'")]
    [InlineData("title = \"a\" &&")]
    [InlineData("title = \"a\" & views = 1")]
    [InlineData("title = \"a\" | views = 1")]
    [InlineData("title ?? \"a\"")]
    [InlineData("title == \"a\"")]
    [InlineData("title = 1.")]
    [InlineData("title = 1x")]
    [InlineData("title = - 1")]
    [InlineData("title = 1 ; DROP TABLE posts")]
    [InlineData("title = \"x\" -- comment")]
    [InlineData("title` = 1")]
    [InlineData("title = `x`")]
    [InlineData("\"a\" = 'b' title")]
    [InlineData("data.a'b = 1")]
    [InlineData("data.a-b = 1")]
    [InlineData("data.a\"b = 1")]
    [InlineData("nope = 1")]
    [InlineData("#x = 1")]
    [InlineData("title. = 1")]
    [InlineData("title.name = 1")]
    [InlineData("author.nope = 1")]
    [InlineData("posts_via_title.id = 1")]
    [InlineData("nope_via_post.id = 1")]
    [InlineData("comments_via_nope.id = 1")]
    [InlineData("users_via_author.id = 1")]
    [InlineData("tags:nope = 1")]
    [InlineData("title:isset = true")]
    [InlineData("views:lower = 1")]
    [InlineData("data:lower = 1")]
    [InlineData("tags:each:lower = 1")]
    [InlineData("author:lower.name = 1")]
    [InlineData("@nope = 1")]
    [InlineData("@request.nope = 1")]
    [InlineData("@request.query = 1")]
    [InlineData("@collection.nope.id = 1")]
    [InlineData("@collection.users = 1")]
    [InlineData("nofunc(1) = 1")]
    [InlineData("geoDistance(1, 2, 3) < 1")]
    [InlineData("geoDistance(1, 2, 3, 'x') < 1")]
    [InlineData("geoDistance(title, 2, 3, 4) < 1")]
    [InlineData("strftime(title) = \"\"")]
    [InlineData("strftime('%Q', when) = \"\"")]
    [InlineData("strftime('%Y', when, 'localtime') = \"\"")]
    [InlineData("strftime('%Y', views) = \"\"")]
    [InlineData("strftime('%Y', strftime('%Y', strftime('%Y'))) = \"\"")]
    [InlineData("author.friends.friends.friends.friends.friends.friends.name = \"x\"")]
    public void Invalid_filter_is_a_generic_400(string filter)
    {
        foreach (var dialect in Dialects)
        {
            var error = Assert.Throws<ApiError>(() => Compiler.AppendFilter(new SqlBuilder(dialect), Schema.Superuser(), filter));
            Assert.Equal(400, error.Status);
            Assert.Equal(ApiError.DefaultBadRequest, error.Message);
            Assert.Empty(error.Data);
        }
    }

    [Theory]
    [InlineData("author.friends.friends.friends.friends.friends.name = \"x\"")]
    [InlineData("strftime('%Y', strftime('%Y')) = \"\"")]
    [InlineData("strftime('%Y', when,) = \"x\"")]
    [InlineData("NULL = title && TRUE != published && False = published")]
    public void Filters_at_the_limits_compile(string filter) =>
        Compiler.AppendFilter(new SqlBuilder(new SqliteDialect()), Schema.Superuser(), filter);

    [Fact]
    public void Expression_count_is_limited_to_200()
    {
        var at = string.Join(" || ", Enumerable.Repeat("views = 1", QueryLimits.MaxExpressions));
        Compiler.AppendFilter(new SqlBuilder(new SqliteDialect()), Schema.Context(isRule: true), at);
        var over = at + " || views = 2";
        Assert.Equal(400, Assert.Throws<ApiError>(() => Compiler.AppendFilter(new SqlBuilder(new SqliteDialect()), Schema.Context(isRule: true), over)).Status);
    }

    [Fact]
    public void Client_filter_length_is_limited_to_3500_characters_but_rules_are_not()
    {
        var atLimit = "title = \"" + new string('x', QueryLimits.MaxFilterLength - 10) + "\"";
        Assert.Equal(QueryLimits.MaxFilterLength, atLimit.Length);
        Compiler.AppendFilter(new SqlBuilder(new SqliteDialect()), Schema.Context(), atLimit);
        var over = atLimit + " ";
        Assert.Equal(400, Assert.Throws<ApiError>(() => Compiler.AppendFilter(new SqlBuilder(new SqliteDialect()), Schema.Context(), over)).Status);
        Compiler.AppendFilter(new SqlBuilder(new SqliteDialect()), Schema.Context(isRule: true), over);
    }

    [Theory]
    [InlineData("@request.auth.id = \"\"", "@request.")]
    [InlineData("@collection.users.id = \"\"", "@collection.")]
    [InlineData("title = \"@request.method\"", "@request.")]
    [InlineData("@request.auth.id = \"\" || @collection.users.id = \"\"", "@collection.")]
    [InlineData("title = \"@collection.\" || views = 1", "@collection.")]
    public void Client_filters_with_request_or_collection_are_403_for_non_superusers(string filter, string named)
    {
        var error = Assert.Throws<ApiError>(() => Compiler.AppendFilter(new SqlBuilder(new SqliteDialect()), Schema.Context(), filter));
        Assert.Equal(403, error.Status);
        Assert.Equal("Only superusers can filter by " + named, error.Message);
        Compiler.AppendFilter(new SqlBuilder(new SqliteDialect()), Schema.Superuser(), filter);
        Compiler.AppendFilter(new SqlBuilder(new SqliteDialect()), Schema.Context(isRule: true), filter);
    }

    [Theory]
    [InlineData("secret = \"x\"")]
    [InlineData("author.password = \"x\"")]
    [InlineData("author.tokenKey != \"\"")]
    [InlineData("vault.code = \"x\"")]
    public void Client_filters_cannot_read_hidden_fields_or_relations_without_list_rule(string filter)
    {
        Assert.Equal(400, Assert.Throws<ApiError>(() => Compiler.AppendFilter(new SqlBuilder(new SqliteDialect()), Schema.Context(), filter)).Status);
        Compiler.AppendFilter(new SqlBuilder(new SqliteDialect()), Schema.Superuser(), filter);
        Compiler.AppendFilter(new SqlBuilder(new SqliteDialect()), Schema.Context(isRule: true), filter);
    }

    [Theory]
    [InlineData("a,b,c,d,e,f,g,h,i", 400)]
    [InlineData("title desc", 400)]
    [InlineData("title;drop", 400)]
    [InlineData("nope", 400)]
    [InlineData("-secret", 400)]
    [InlineData("vault.code", 400)]
    [InlineData("@now", 400)]
    [InlineData("title)", 400)]
    [InlineData("@request.auth.id", 403)]
    [InlineData("-@collection.users.name", 403)]
    public void Invalid_client_sort_is_rejected(string sort, int status)
    {
        var error = Assert.Throws<ApiError>(() => Compiler.AppendSort(new SqlBuilder(new PostgresDialect()), Schema.Context(), sort));
        Assert.Equal(status, error.Status);
    }

    [Theory]
    [InlineData("title = 1", "@request.auth.id", "@request.")]
    [InlineData("title = \"@request.x\"", "@collection.users.id", "@request.")]
    [InlineData("title = 1", "@collection.users.id,@request.auth.id", "@collection.")]
    [InlineData("title = (", "-@collection.x", "@collection.")]
    [InlineData(null, "@request.a,@collection.b", "@collection.")]
    public void List_texts_are_checked_filter_first_then_sort_before_anything_is_parsed(string? filter, string sort, string named)
    {
        var error = Assert.Throws<ApiError>(() => RecordQueryCompiler.CheckClientTexts(new RequestInfo(), filter, sort));
        Assert.Equal(403, error.Status);
        Assert.Equal("Only superusers can filter by " + named, error.Message);
        RecordQueryCompiler.CheckClientTexts(Schema.Superuser().Request, filter, sort);
    }

    [Fact]
    public void Sort_allows_eight_keys_of_up_to_255_characters()
    {
        Compiler.AppendSort(new SqlBuilder(new SqliteDialect()), Schema.Context(), "title,views,-published,when,status,tags,author,id");
        var longKey = "-" + new string('x', QueryLimits.MaxSortKeyLength);
        Assert.Equal(400, Assert.Throws<ApiError>(() => Compiler.AppendSort(new SqlBuilder(new SqliteDialect()), Schema.Superuser(), longKey)).Status);
    }

    [Fact]
    public void Rule_for_a_user_of_another_auth_collection_reads_unknown_auth_fields_as_null()
    {
        var other = new Basalt.Model.Collection { Id = "pbc_x", Name = "admins", Type = "auth", Fields = [new() { Name = "id", Type = "text" }] };
        var context = Schema.Context(isRule: true, request: new RequestInfo { Auth = new Basalt.Model.Record(other) { Id = "a1" } });
        var sql = new SqlBuilder(new SqliteDialect());
        Compiler.AppendFilter(sql, context, "@request.auth.name = \"Ann\"");
        Assert.Equal("(NULL = @p0)", sql.ToString());
    }

    private static readonly ISqlDialect[] Dialects = [new SqliteDialect(), new PostgresDialect()];
}
