using System.Net;
using Basalt.Tests.Fixtures;

namespace Basalt.Tests.Records;

/// <summary>Records of auth collections: password rules, secrets never serialised, email visibility, unique emails, managers.</summary>
public abstract class RecordsAuthCollectionTests(BasaltServerFixture fixture) : RecordsTestBase(fixture)
{
    [Fact]
    public async Task Create_requires_a_confirmed_password_and_never_returns_secrets()
    {
        var users = HttpJson.UniqueName("members");
        await CreateCollectionAsync(users, "[]", type: "auth");
        AssertError(HttpStatusCode.BadRequest, await Guest.PostJsonAsync(Records(users), new { email = "a@example.com" }), "password", "validation_required");
        AssertError(HttpStatusCode.BadRequest, await Guest.PostJsonAsync(Records(users), new { email = "a@example.com", password = "12345678", passwordConfirm = "87654321" }), "passwordConfirm");
        AssertError(HttpStatusCode.BadRequest, await Guest.PostJsonAsync(Records(users), new { email = "a@example.com", password = "1234", passwordConfirm = "1234" }), "password");
        AssertError(HttpStatusCode.BadRequest, await Guest.PostJsonAsync(Records(users), new { email = "a@example.com", password = "12345678", passwordConfirm = "12345678", verified = true }), "verified");
        Assert.Equal(0, await CountAsync(users));

        var created = await CreateRecordAsync(users, new { email = "a@example.com", password = "12345678", passwordConfirm = "12345678" }, Guest);
        Assert.False(created.ContainsKey("password"));
        Assert.False(created.ContainsKey("tokenKey"));
        Assert.False(created.ContainsKey("email"));
        Assert.False(created["verified"]!.GetValue<bool>());
        var id = created["id"]!.GetValue<string>();

        var asRoot = await ViewAsync(users, id);
        Assert.Equal("a@example.com", asRoot["email"]!.GetValue<string>());
        Assert.False(asRoot.ContainsKey("password"));
        Assert.False(asRoot.ContainsKey("tokenKey"));

        AssertError(HttpStatusCode.BadRequest, await Guest.PostJsonAsync(Records(users), new { email = "A@example.com", password = "12345678", passwordConfirm = "12345678" }), "email", "validation_not_unique");
        var signedIn = await Server.SignInAsync(users, "a@example.com", "12345678");
        var (_, own) = await signedIn.GetJsonAsync(Records(users, id));
        Assert.Equal("a@example.com", own!["email"]!.GetValue<string>());
    }

    [Fact]
    public async Task Email_is_public_only_with_email_visibility()
    {
        var users = HttpJson.UniqueName("visible");
        await CreateCollectionAsync(users, "[]", type: "auth");
        var shown = await CreateRecordAsync(users, new { email = "shown@example.com", emailVisibility = true, password = "12345678", passwordConfirm = "12345678" }, Guest);
        Assert.Equal("shown@example.com", shown["email"]!.GetValue<string>());
        var (_, list) = await Guest.GetJsonAsync(Records(users));
        Assert.Equal("shown@example.com", list!["items"]![0]!["email"]!.GetValue<string>());
    }

    [Fact]
    public async Task Changing_the_password_needs_the_old_one_unless_superuser()
    {
        var users = HttpJson.UniqueName("pw");
        await CreateCollectionAsync(users, "[]", type: "auth");
        var id = (await CreateRecordAsync(users, new { email = "p@example.com", password = "12345678", passwordConfirm = "12345678" }, Guest))["id"]!.GetValue<string>();
        var user = await Server.SignInAsync(users, "p@example.com", "12345678");
        AssertError(HttpStatusCode.BadRequest, await user.PatchJsonAsync(Records(users, id), new { password = "abcdefgh", passwordConfirm = "abcdefgh" }), "oldPassword");
        AssertError(HttpStatusCode.BadRequest, await user.PatchJsonAsync(Records(users, id), new { email = "new@example.com" }), "email");
        Assert.Equal(HttpStatusCode.OK, (await user.PatchJsonAsync(Records(users, id), new { password = "abcdefgh", passwordConfirm = "abcdefgh", oldPassword = "12345678" })).Status);
        await Server.SignInAsync(users, "p@example.com", "abcdefgh");
        Assert.Equal(HttpStatusCode.OK, (await Superuser.PatchJsonAsync(Records(users, id), new { password = "zzzzzzzz", passwordConfirm = "zzzzzzzz", verified = true })).Status);
        await Server.SignInAsync(users, "p@example.com", "zzzzzzzz");
    }

    [Fact]
    public async Task Superusers_are_records_that_only_superusers_manage()
    {
        AssertError(HttpStatusCode.Forbidden, await Guest.GetJsonAsync(Records("_superusers")));
        AssertError(HttpStatusCode.Forbidden, await Guest.PostJsonAsync(Records("_superusers"), new { email = "evil@example.com", password = "12345678", passwordConfirm = "12345678" }));
        AssertError(HttpStatusCode.BadRequest, await Superuser.PostJsonAsync(Records("_superusers"), new { email = BasaltServerFixture.SuperuserEmail, password = "12345678", passwordConfirm = "12345678" }), "email");
        var email = HttpJson.UniqueName("root") + "@example.com";
        await CreateRecordAsync("_superusers", new { email, password = "12345678", passwordConfirm = "12345678" });
        await Server.SignInAsync("_superusers", email, "12345678");
    }
}

public sealed class RecordsAuthCollectionSqliteTests(SqliteServerFixture f) : RecordsAuthCollectionTests(f), IClassFixture<SqliteServerFixture>;

public sealed class RecordsAuthCollectionPostgresTests(PostgresServerFixture f) : RecordsAuthCollectionTests(f), IClassFixture<PostgresServerFixture>;
