using System.Net;
using Basalt.Tests.Fixtures;

namespace Basalt.Tests.Records;

/// <summary><c>sort=@rowid</c> is insertion order on both databases (PostgreSQL through a hidden identity column).</summary>
public abstract class RecordsRowIdTests(BasaltServerFixture fixture) : RecordsTestBase(fixture)
{
    [Fact]
    public async Task Rowid_sorts_by_insertion_order_and_stays_hidden()
    {
        var name = HttpJson.UniqueName("ordered");
        await CreateCollectionAsync(name, """[{"name":"t","type":"text"}]""");
        string[] inserted = ["zzz000000000003", "aaa000000000001", "mmm000000000002"];
        foreach (var id in inserted)
        {
            await CreateRecordAsync(name, new { id, t = id });
        }

        var (status, ascending) = await Guest.GetJsonAsync(Records(name, query: "sort=@rowid"));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(inserted, ascending!["items"]!.AsArray().Select(i => i!["id"]!.GetValue<string>()));
        Assert.All(ascending["items"]!.AsArray(), i => Assert.False(i!.AsObject().ContainsKey("_rowid_")));

        var (_, descending) = await Guest.GetJsonAsync(Records(name, query: "sort=-@rowid"));
        Assert.Equal(inserted.Reverse(), descending!["items"]!.AsArray().Select(i => i!["id"]!.GetValue<string>()));

        var (_, fields) = await Guest.GetJsonAsync(Records(name, query: "fields=*&perPage=1"));
        Assert.False(fields!["items"]![0]!.AsObject().ContainsKey("_rowid_"));
    }
}

public sealed class RecordsRowIdSqliteTests(SqliteServerFixture f) : RecordsRowIdTests(f), IClassFixture<SqliteServerFixture>;

public sealed class RecordsRowIdPostgresTests(PostgresServerFixture f) : RecordsRowIdTests(f), IClassFixture<PostgresServerFixture>;
