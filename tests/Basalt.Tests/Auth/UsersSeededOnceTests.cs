using System.Net;
using Basalt.Collections;
using Basalt.Tests.Fixtures;

namespace Basalt.Tests.Auth;

/// <summary>
/// Seeding happens once: a start on a database that already has <c>_superusers</c> leaves a deleted <c>users</c>
/// collection deleted. Its own fixture, since it deletes the collection the other tests read.
/// </summary>
public abstract class UsersSeededOnceTests(BasaltServerFixture server)
{
    [Fact]
    public async Task A_deleted_users_collection_is_not_recreated_on_the_next_start()
    {
        var (deleted, body) = await server.Superuser.DeleteJsonAsync("/api/collections/users");
        Assert.True(deleted == HttpStatusCode.NoContent, body?.ToJsonString());

        // What CollectionsInitializer runs on every start.
        await server.Services.GetRequiredService<CollectionService>().EnsureSystemCollectionsAsync(CancellationToken.None);

        var (status, _) = await server.Superuser.GetJsonAsync("/api/collections/users");
        var (superusers, _) = await server.Superuser.GetJsonAsync("/api/collections/_superusers");
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal(HttpStatusCode.OK, superusers);
    }
}

public sealed class UsersSeededOnceSqliteTests(SqliteServerFixture f) : UsersSeededOnceTests(f), IClassFixture<SqliteServerFixture>;

public sealed class UsersSeededOncePostgresTests(PostgresServerFixture f) : UsersSeededOnceTests(f), IClassFixture<PostgresServerFixture>;
