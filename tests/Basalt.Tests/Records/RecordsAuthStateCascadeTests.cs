using System.Net;
using Basalt.Model;
using Basalt.Tests.Fixtures;

namespace Basalt.Tests.Records;

/// <summary>
/// Deleting an auth record (or its whole collection) removes its MFA sessions, OTPs, external auths and auth origins in
/// the same transaction; a delete that fails leaves them in place.
/// </summary>
public abstract class RecordsAuthStateCascadeTests(BasaltServerFixture fixture) : RecordsTestBase(fixture)
{
    private const string Password = "cascade-pass-1";

    private static readonly string[] StateCollections =
        [AuthSystemCollections.Mfas, AuthSystemCollections.Otps, AuthSystemCollections.ExternalAuths, AuthSystemCollections.AuthOrigins];

    [Fact]
    public async Task Deleting_an_auth_record_removes_only_its_auth_state()
    {
        var users = HttpJson.UniqueName("stateful");
        var collectionId = (await CreateCollectionAsync(users, "[]", type: "auth"))["id"]!.GetValue<string>();
        var gone = await CreateUserAsync(users);
        var kept = await CreateUserAsync(users);
        await AddStateAsync(collectionId, gone);
        await AddStateAsync(collectionId, kept);

        var (status, _) = await Superuser.DeleteJsonAsync(Records(users, gone));

        Assert.Equal(HttpStatusCode.NoContent, status);
        foreach (var state in StateCollections)
        {
            Assert.Equal(0, await CountAsync(state, collectionId, gone));
            Assert.Equal(1, await CountAsync(state, collectionId, kept));
        }
    }

    [Fact]
    public async Task A_refused_delete_keeps_the_auth_state()
    {
        var users = HttpJson.UniqueName("stateful");
        var collectionId = (await CreateCollectionAsync(users, "[]", type: "auth"))["id"]!.GetValue<string>();
        var user = await CreateUserAsync(users);
        await AddStateAsync(collectionId, user);
        var owned = HttpJson.UniqueName("owned");
        await CreateCollectionAsync(owned, $$"""[{"name":"owner","type":"relation","collectionId":"{{collectionId}}","maxSelect":1,"required":true}]""");
        await CreateRecordAsync(owned, new { owner = user });

        var (status, body) = await Superuser.DeleteJsonAsync(Records(users, user));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(400, body!["status"]!.GetValue<int>());
        foreach (var state in StateCollections)
        {
            Assert.Equal(1, await CountAsync(state, collectionId, user));
        }
    }

    [Fact]
    public async Task Deleting_an_auth_collection_removes_its_auth_state()
    {
        var users = HttpJson.UniqueName("doomed");
        var others = HttpJson.UniqueName("survivors");
        var collectionId = (await CreateCollectionAsync(users, "[]", type: "auth"))["id"]!.GetValue<string>();
        var otherId = (await CreateCollectionAsync(others, "[]", type: "auth"))["id"]!.GetValue<string>();
        var user = await CreateUserAsync(users);
        var survivor = await CreateUserAsync(others);
        await AddStateAsync(collectionId, user);
        await AddStateAsync(otherId, survivor);

        var (status, body) = await Superuser.DeleteJsonAsync($"/api/collections/{users}");

        Assert.True(status == HttpStatusCode.NoContent, body?.ToJsonString());
        foreach (var state in StateCollections)
        {
            Assert.Equal(0, await CountAsync(state, collectionId, user));
            Assert.Equal(1, await CountAsync(state, otherId, survivor));
        }
    }

    private async Task<string> CreateUserAsync(string collection)
    {
        var email = "state-" + Guid.NewGuid().ToString("N")[..8] + "@example.com";
        return (await CreateRecordAsync(collection, new { email, password = Password, passwordConfirm = Password }))["id"]!.GetValue<string>();
    }

    private async Task AddStateAsync(string collectionId, string recordId)
    {
        await CreateRecordAsync(AuthSystemCollections.Mfas, new { collectionRef = collectionId, recordRef = recordId, method = "password" });
        await CreateRecordAsync(AuthSystemCollections.Otps, new { collectionRef = collectionId, recordRef = recordId, password = "12345678", sentTo = "a@example.com" });
        await CreateRecordAsync(AuthSystemCollections.ExternalAuths, new { collectionRef = collectionId, recordRef = recordId, provider = "github", providerId = "gh-" + recordId });
        await CreateRecordAsync(AuthSystemCollections.AuthOrigins, new { collectionRef = collectionId, recordRef = recordId, fingerprint = "fp-" + recordId });
    }

    private async Task<int> CountAsync(string state, string collectionId, string recordId)
    {
        var filter = Uri.EscapeDataString($"collectionRef = '{collectionId}' && recordRef = '{recordId}'");
        var (status, body) = await Superuser.GetJsonAsync(Records(state, query: "filter=" + filter));
        Assert.True(status == HttpStatusCode.OK, body?.ToJsonString());
        return body!["totalItems"]!.GetValue<int>();
    }
}

public sealed class RecordsAuthStateCascadeSqliteTests(SqliteServerFixture f) : RecordsAuthStateCascadeTests(f), IClassFixture<SqliteServerFixture>;

public sealed class RecordsAuthStateCascadePostgresTests(PostgresServerFixture f) : RecordsAuthStateCascadeTests(f), IClassFixture<PostgresServerFixture>;
