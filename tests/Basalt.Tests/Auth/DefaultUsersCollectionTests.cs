using System.Net;
using System.Text.Json.Nodes;
using Basalt.Tests.Fixtures;

namespace Basalt.Tests.Auth;

/// <summary>The <c>users</c> auth collection a new database starts with (§2.3), and that it works as PocketBase's does.</summary>
public abstract class DefaultUsersCollectionTests(BasaltServerFixture server)
{
    private const string Password = "member-password-1";

    [Fact]
    public async Task A_new_database_has_the_users_collection_of_PocketBase()
    {
        var (status, users) = await server.Superuser.GetJsonAsync("/api/collections/users");

        Assert.True(status == HttpStatusCode.OK, users?.ToJsonString());
        Assert.Equal("_pb_users_auth_", users!["id"]!.GetValue<string>());
        Assert.Equal("auth", users["type"]!.GetValue<string>());
        Assert.False(users["system"]!.GetValue<bool>());
        Assert.Equal(
            ["id", "password", "tokenKey", "email", "emailVisibility", "verified", "name", "avatar", "created", "updated"],
            users["fields"]!.AsArray().Select(f => f!["name"]!.GetValue<string>()));
        var name = Field(users, "name");
        Assert.Equal("text", name["type"]!.GetValue<string>());
        Assert.Equal(255, name["max"]!.GetValue<int>());
        var avatar = Field(users, "avatar");
        Assert.Equal("file", avatar["type"]!.GetValue<string>());
        Assert.Equal(1, avatar["maxSelect"]!.GetValue<int>());
        Assert.Contains("image/png", avatar["mimeTypes"]!.AsArray().Select(m => m!.GetValue<string>()));
        Assert.Equal("autodate", Field(users, "created")["type"]!.GetValue<string>());
        Assert.True(Field(users, "updated")["onUpdate"]!.GetValue<bool>());
        foreach (var rule in new[] { "listRule", "viewRule", "updateRule", "deleteRule" })
        {
            Assert.Equal("id = @request.auth.id", users[rule]!.GetValue<string>());
        }

        Assert.Equal("", users["createRule"]!.GetValue<string>());
        Assert.Equal("name", users["oauth2"]!["mappedFields"]!["name"]!.GetValue<string>());
        Assert.Equal("avatar", users["oauth2"]!["mappedFields"]!["avatarURL"]!.GetValue<string>());
        Assert.Equal(2, users["indexes"]!.AsArray().Count);
        Assert.DoesNotContain("secret", users.ToJsonString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task The_collections_list_starts_with_superusers_then_users()
    {
        var (status, page) = await server.Superuser.GetJsonAsync("/api/collections?sort=created&perPage=2");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(["_superusers", "users"], page!["items"]!.AsArray().Select(i => i!["name"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_visitor_signs_up_signs_in_and_sees_only_their_own_record()
    {
        var email = "u-" + Guid.NewGuid().ToString("N")[..8] + "@example.com";
        var other = "u-" + Guid.NewGuid().ToString("N")[..8] + "@example.com";
        foreach (var address in new[] { email, other })
        {
            var (created, body) = await server.Guest.PostJsonAsync(
                "/api/collections/users/records",
                new { email = address, password = Password, passwordConfirm = Password, name = "Ann" });
            Assert.True(created == HttpStatusCode.OK, body?.ToJsonString());
        }

        using var user = await server.SignInAsync("users", email, Password);
        var (listed, page) = await user.GetJsonAsync("/api/collections/users/records");
        var (guestListed, guestPage) = await server.Guest.GetJsonAsync("/api/collections/users/records");

        Assert.Equal(HttpStatusCode.OK, listed);
        var item = Assert.Single(page!["items"]!.AsArray());
        Assert.Equal(email, item!["email"]!.GetValue<string>());
        Assert.Equal("Ann", item["name"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, guestListed);
        Assert.Empty(guestPage!["items"]!.AsArray());
    }

    [Fact]
    public async Task A_user_record_without_email_is_refused()
    {
        var (status, body) = await server.Guest.PostJsonAsync(
            "/api/collections/users/records",
            new { password = Password, passwordConfirm = Password });

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.NotNull(body!["data"]!["email"]);
    }

    private static JsonNode Field(JsonNode collection, string name) =>
        collection["fields"]!.AsArray().Single(f => f!["name"]!.GetValue<string>() == name)!;
}

public sealed class DefaultUsersCollectionSqliteTests(SqliteServerFixture f) : DefaultUsersCollectionTests(f), IClassFixture<SqliteServerFixture>;

public sealed class DefaultUsersCollectionPostgresTests(PostgresServerFixture f) : DefaultUsersCollectionTests(f), IClassFixture<PostgresServerFixture>;
