using System.Net;
using System.Text.Json.Nodes;
using Basalt.Auth;
using Basalt.Model;
using Basalt.Query;
using Basalt.Rules;
using Basalt.Storage;
using Basalt.Tests.Fixtures;
using Record = Basalt.Model.Record;

namespace Basalt.Tests.Rules;

/// <summary>
/// A rule answered in memory (the realtime fan-out's shortcut) gives exactly the answer its SQL gives, on both
/// databases, for every record and caller in the table; rules outside its reach are left to SQL.
/// </summary>
public abstract class MemoryRuleTests(BasaltServerFixture server)
{
    public static TheoryData<string> Answered => new()
    {
        "owner = @request.auth.id",
        "owner != @request.auth.id",
        "author = @request.auth.id",
        "@request.auth.id != ''",
        "@request.auth.id = \"\"",
        "owner = '' || title = 'x'",
        "title = null",
        "null != title && owner = @request.auth.id",
        "title = owner",
        "@request.auth.collectionName = 'MEMBERS' || @request.auth.collectionId != ''",
        "@request.context = 'realtime' && @request.method = 'GET'",
        "null = ''",
        "'a' != 'a' || id = 'rec000000000001'",
        "(owner = @request.auth.id || title = 'x') && title != 'y'",
    };

    public static TheoryData<string> LeftToSql => new()
    {
        "title ~ 'x'",
        "n > 1",
        "n = 1",
        "author.username = 'x'",
        "@request.query.a = 'b'",
        "@collection.posts.id = id",
        "title:lower = 'x'",
        "tags = 'a'",
        "tags ?= 'a'",
        "title = 1",
        "created > @now",
        "flag = true",
    };

    [Theory]
    [MemberData(nameof(Answered))]
    public async Task A_rule_answered_in_memory_agrees_with_its_sql_for_every_record_and_caller(string rule)
    {
        var (collection, members, user) = await SetUpAsync();
        rule = rule.Replace("MEMBERS", members.Name, StringComparison.Ordinal);
        var compiler = server.Services.GetRequiredService<RecordQueryCompiler>();
        var rules = server.Services.GetRequiredService<RuleEvaluator>();
        var database = server.Services.GetRequiredService<IDatabase>();
        var memory = MemoryRule.TryCompile(collection, rule, compiler);
        Assert.NotNull(memory);

        foreach (var auth in new[] { null, user })
        {
            var request = new RequestInfo { Context = "realtime", Auth = auth };
            foreach (var (owner, title) in new[] { (user.Id, "x"), ("", ""), ("someone", "y"), (user.Id, ""), ("x", "x") })
            {
                var record = Candidate(collection, owner, title, owner == user.Id ? user.Id : "");
                var sql = await database.ReadAsync((c, ct) => rules.MatchesCandidateAsync(record, rule, request, c, ct), CancellationToken.None);
                Assert.True(sql == memory.Matches(record, request), $"{rule} for owner '{owner}', title '{title}', auth {auth?.Id ?? "guest"}: SQL says {sql}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(LeftToSql))]
    public async Task A_rule_outside_the_memory_subset_is_left_to_sql(string rule)
    {
        var (collection, _, _) = await SetUpAsync();

        Assert.Null(MemoryRule.TryCompile(collection, rule, server.Services.GetRequiredService<RecordQueryCompiler>()));
    }

    private static Record Candidate(Collection collection, string owner, string title, string author)
    {
        var record = new Record(collection);
        foreach (var field in collection.Fields)
        {
            record.Set(field.Name, FieldEmptyValue.Of(field));
        }

        record.Id = "rec000000000001";
        record.Set("owner", owner);
        record.Set("title", title);
        record.Set("author", author);
        return record;
    }

    private async Task<(Collection Posts, Collection Members, Record User)> SetUpAsync()
    {
        var lookup = server.Services.GetRequiredService<ICollectionLookup>();
        var membersName = await AuthCollections.CreateAsync(server, new JsonObject { ["listRule"] = "", ["viewRule"] = "" });
        var members = lookup.Find(membersName)!;
        var signedUp = await AuthCollections.SignUpAsync(server, membersName, HttpJson.UniqueName("m") + "@example.com", "password-123", asSuperuser: true);
        var user = (await server.Services.GetRequiredService<AuthRecordStore>().FindByIdAsync(members, signedUp.Id, CancellationToken.None))!;
        var name = HttpJson.UniqueName("posts");
        var (status, body) = await server.Superuser.PostJsonAsync("/api/collections", new JsonObject
        {
            ["name"] = name,
            ["type"] = "base",
            ["fields"] = new JsonArray(
                new JsonObject { ["name"] = "owner", ["type"] = "text" },
                new JsonObject { ["name"] = "title", ["type"] = "text" },
                new JsonObject { ["name"] = "n", ["type"] = "number" },
                new JsonObject { ["name"] = "flag", ["type"] = "bool" },
                new JsonObject { ["name"] = "created", ["type"] = "autodate", ["onCreate"] = true },
                new JsonObject { ["name"] = "tags", ["type"] = "select", ["values"] = new JsonArray("a", "b"), ["maxSelect"] = 2 },
                new JsonObject { ["name"] = "author", ["type"] = "relation", ["collectionId"] = members.Id, ["maxSelect"] = 1 }),
        }.ToJsonString());
        Assert.True(status == HttpStatusCode.OK, body?.ToJsonString());
        return (lookup.Find(name)!, members, user);
    }
}

public sealed class MemoryRuleSqliteTests(SqliteServerFixture f) : MemoryRuleTests(f), IClassFixture<SqliteServerFixture>;

public sealed class MemoryRulePostgresTests(PostgresServerFixture f) : MemoryRuleTests(f), IClassFixture<PostgresServerFixture>;
