using System.Net;
using System.Text.Json.Nodes;
using Basalt.Tests.Fixtures;

namespace Basalt.Tests.Auth;

/// <summary>
/// <c>auth-with-oauth2</c> end to end against a real OpenID Connect provider on loopback (§7.3): sign-up under the
/// createRule, existing links, linking, email matching, pre-hijack protection, and every refusal leaving nothing changed.
/// </summary>
public abstract class OAuth2SignInTests(BasaltServerFixture server, OidcTestProvider provider) : OAuth2Tests(server, provider)
{
    [Fact]
    public async Task A_new_provider_user_signs_up_verified_with_the_mapped_fields_and_a_link()
    {
        var name = await CreateCollectionAsync([OidcConfig()]);
        var user = NewUser() with { Picture = "https://example.com/ada.png" };

        var (status, body) = await SignInAsync(name, user);

        Assert.True(status == HttpStatusCode.OK, body?.ToJsonString());
        Assert.False(string.IsNullOrEmpty(body!["token"]!.GetValue<string>()));
        var record = body["record"]!;
        Assert.Equal(user.Email, record["email"]!.GetValue<string>());
        Assert.True(record["verified"]!.GetValue<bool>());
        Assert.Equal("Ada Lovelace", record["name"]!.GetValue<string>());
        Assert.Equal("ada", record["username"]!.GetValue<string>());
        Assert.Equal("https://example.com/ada.png", record["avatar"]!.GetValue<string>());
        var meta = body["meta"]!;
        Assert.True(meta["isNew"]!.GetValue<bool>());
        Assert.Equal(user.Sub, meta["id"]!.GetValue<string>());
        Assert.Equal(user.Email, meta["email"]!.GetValue<string>());
        Assert.Equal(meta["avatarURL"]!.GetValue<string>(), meta["avatarUrl"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(meta["accessToken"]!.GetValue<string>()));
        Assert.StartsWith("refresh-", meta["refreshToken"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.EndsWith("Z", meta["expiry"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(user.Sub, meta["rawUser"]!["sub"]!.GetValue<string>());
        Assert.Equal(["oidc:" + user.Sub], await LinksAsync(record["id"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Signing_in_again_finds_the_linked_record()
    {
        var name = await CreateCollectionAsync([OidcConfig()]);
        var user = NewUser();
        var (_, first) = await SignInAsync(name, user);

        var (status, second) = await SignInAsync(name, user);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(first!["record"]!["id"]!.GetValue<string>(), second!["record"]!["id"]!.GetValue<string>());
        Assert.False(second["meta"]!["isNew"]!.GetValue<bool>());
        Assert.Single(await RecordsAsync(name));
    }

    [Fact]
    public async Task The_token_works_as_any_auth_token()
    {
        var name = await CreateCollectionAsync([OidcConfig()]);
        var (_, body) = await SignInAsync(name, NewUser());

        using var client = Server.NewClient(body!["token"]!.GetValue<string>());
        var (status, refreshed) = await client.PostJsonAsync($"/api/collections/{name}/auth-refresh", null);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(body["record"]!["id"]!.GetValue<string>(), refreshed!["record"]!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task CreateData_is_part_of_the_sign_up_and_the_createRule_sees_the_oauth2_context()
    {
        var name = await CreateCollectionAsync([OidcConfig()], new JsonObject { ["createRule"] = "@request.context = 'oauth2' && @request.body.name != ''" });

        var (direct, _) = await Server.Guest.PostJsonAsync(
            $"/api/collections/{name}/records", """{"email":"x@example.com","password":"12345678","passwordConfirm":"12345678","name":"x"}""");
        var (status, body) = await SignInAsync(name, NewUser(), createData: new JsonObject { ["name"] = "Chosen", ["username"] = "chosen" });

        Assert.Equal(HttpStatusCode.BadRequest, direct);
        Assert.True(status == HttpStatusCode.OK, body?.ToJsonString());
        Assert.Equal("Chosen", body!["record"]!["name"]!.GetValue<string>());
        Assert.Equal("chosen", body["record"]!["username"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_createRule_that_refuses_the_sign_up_creates_nothing()
    {
        var name = await CreateCollectionAsync([OidcConfig()], new JsonObject { ["createRule"] = "@request.body.name = 'nobody'" });
        var locked = await CreateCollectionAsync([OidcConfig()], new JsonObject { ["createRule"] = null });

        var (status, body) = await SignInAsync(name, NewUser());
        var (lockedStatus, lockedBody) = await SignInAsync(locked, NewUser());

        AssertError(HttpStatusCode.BadRequest, status, body);
        AssertError(HttpStatusCode.Forbidden, lockedStatus, lockedBody);
        Assert.Empty(await RecordsAsync(name));
        Assert.Empty(await RecordsAsync(locked));
    }

    /// <summary>The sign-up and its link are one write: a link that cannot be saved leaves no account behind.</summary>
    [Fact]
    public async Task A_sign_up_whose_link_cannot_be_saved_creates_nothing()
    {
        var name = await CreateCollectionAsync([OidcConfig()]);
        var (_, collection) = await Server.Superuser.GetJsonAsync($"/api/collections/{name}");
        var recordId = Guid.NewGuid().ToString("N")[..15];

        // A stale link already holds (collection, record, provider), so the new record's link breaks a unique index.
        var (stale, staleBody) = await Server.Superuser.PostJsonAsync("/api/collections/_externalAuths/records", new JsonObject
        {
            ["collectionRef"] = collection!["id"]!.GetValue<string>(),
            ["recordRef"] = recordId,
            ["provider"] = "oidc",
            ["providerId"] = "someone-else",
        }.ToJsonString());
        var (status, body) = await SignInAsync(name, NewUser(), createData: new JsonObject { ["id"] = recordId });

        Assert.True(stale == HttpStatusCode.OK, staleBody?.ToJsonString());
        AssertError(HttpStatusCode.BadRequest, status, body);
        Assert.Empty(await RecordsAsync(name));
        Assert.Equal(["oidc:someone-else"], await LinksAsync(recordId));
    }

    [Fact]
    public async Task A_signed_in_user_links_the_provider_to_their_own_record()
    {
        var name = await CreateCollectionAsync([OidcConfig()]);
        var id = await CreateUserAsync(name, $"own{Guid.NewGuid():N}"[..12] + "@example.com", "password123", verified: true);
        using var own = await Server.SignInAsync(name, (await RecordsAsync(name))[0]!["email"]!.GetValue<string>(), "password123");
        var user = NewUser();

        var (status, body) = await SignInAsync(name, user, client: own);
        var (againStatus, again) = await SignInAsync(name, user);

        Assert.True(status == HttpStatusCode.OK, body?.ToJsonString());
        Assert.Equal(id, body!["record"]!["id"]!.GetValue<string>());
        Assert.False(body["meta"]!["isNew"]!.GetValue<bool>());
        Assert.Equal(HttpStatusCode.OK, againStatus);
        Assert.Equal(id, again!["record"]!["id"]!.GetValue<string>());
        Assert.Equal(["oidc:" + user.Sub], await LinksAsync(id));

        // Linking is not a takeover: the owner's own password still works.
        using var _ = await Server.SignInAsync(name, body["record"]!["email"]!.GetValue<string>(), "password123");
    }

    [Fact]
    public async Task A_verified_provider_email_signs_into_the_verified_record_with_that_email()
    {
        var name = await CreateCollectionAsync([OidcConfig()]);
        var user = NewUser();
        var id = await CreateUserAsync(name, user.Email, "password123", verified: true);

        var (status, body) = await SignInAsync(name, user);

        Assert.True(status == HttpStatusCode.OK, body?.ToJsonString());
        Assert.Equal(id, body!["record"]!["id"]!.GetValue<string>());
        Assert.False(body["meta"]!["isNew"]!.GetValue<bool>());
        using var _ = await Server.SignInAsync(name, user.Email, "password123");
    }

    [Fact]
    public async Task An_unverified_account_registered_with_the_victims_email_loses_its_password_and_links()
    {
        var name = await CreateCollectionAsync([OidcConfig(), NamedConfig("github", "/user")]);
        var victim = NewUser();
        var squatter = await CreateUserAsync(name, victim.Email, "squatter123", verified: false);

        // The squatter links a provider account of their own while the record is theirs.
        using (var squatterClient = await Server.SignInAsync(name, victim.Email, "squatter123"))
        {
            var (linked, _) = await SignInAsync(name, NewUser() with { Sub = "777" }, "github", squatterClient);
            Assert.Equal(HttpStatusCode.OK, linked);
        }

        var (status, body) = await SignInAsync(name, victim);

        Assert.True(status == HttpStatusCode.OK, body?.ToJsonString());
        Assert.Equal(squatter, body!["record"]!["id"]!.GetValue<string>());
        Assert.True(body["record"]!["verified"]!.GetValue<bool>());
        Assert.Equal(["oidc:" + victim.Sub], await LinksAsync(squatter));
        var (denied, _) = await Server.Guest.PostJsonAsync(
            $"/api/collections/{name}/auth-with-password", new JsonObject { ["identity"] = victim.Email, ["password"] = "squatter123" }.ToJsonString());
        Assert.Equal(HttpStatusCode.BadRequest, denied);
    }

    [Fact]
    public async Task An_unverified_provider_email_never_signs_into_an_existing_record()
    {
        var name = await CreateCollectionAsync([OidcConfig()]);
        var user = NewUser(verified: false);
        var id = await CreateUserAsync(name, user.Email, "password123", verified: true);

        var (status, body) = await SignInAsync(name, user);

        if (status == HttpStatusCode.OK)
        {
            Assert.NotEqual(id, body!["record"]!["id"]!.GetValue<string>());
        }

        Assert.Empty(await LinksAsync(id));
        using var _ = await Server.SignInAsync(name, user.Email, "password123");
    }

    /// <summary>
    /// "nOAuth": an Entra tenant can set any address as a user's Graph <c>mail</c> without proving it, so that address
    /// must neither sign into nor verify the victim's account; only a verified claim of the id_token vouches for it.
    /// </summary>
    [Fact]
    public async Task An_unverified_Microsoft_mail_never_signs_into_the_account_with_that_email()
    {
        var name = await CreateCollectionAsync([NamedConfig("microsoft", "/me")]);
        var victim = NewUser();
        var victimId = await CreateUserAsync(name, victim.Email, "password123", verified: true);
        var unverifiedVictim = NewUser();
        var unverifiedId = await CreateUserAsync(name, unverifiedVictim.Email, "password123", verified: false);

        var (status, body) = await SignInAsync(name, NewUser(verified: false) with { Email = victim.Email }, "microsoft");
        var (unverifiedStatus, unverifiedBody) = await SignInAsync(name, NewUser(verified: false) with { Email = unverifiedVictim.Email }, "microsoft");

        // The email the provider does not vouch for is not used at all; the collection's email is required (the
        // default, as in PocketBase), so the sign-up is refused instead of creating an account without one.
        AssertEmailRequired(status, body);
        Assert.Empty(await LinksAsync(victimId));
        AssertEmailRequired(unverifiedStatus, unverifiedBody);
        Assert.Empty(await LinksAsync(unverifiedId));
        var (_, untouched) = await Server.Superuser.GetJsonAsync($"/api/collections/{name}/records/{unverifiedId}");
        Assert.False(untouched!["verified"]!.GetValue<bool>());
        using var _ = await Server.SignInAsync(name, victim.Email, "password123");
        using var __ = await Server.SignInAsync(name, unverifiedVictim.Email, "password123");
    }

    [Fact]
    public async Task A_Microsoft_email_the_id_token_vouches_for_signs_into_the_account()
    {
        var name = await CreateCollectionAsync([NamedConfig("microsoft", "/me")]);
        var byEmailVerified = NewUser();
        var byDomainOwner = NewUser(verified: false) with { DomainOwnerVerified = true };
        var first = await CreateUserAsync(name, byEmailVerified.Email, "password123", verified: true);
        var second = await CreateUserAsync(name, byDomainOwner.Email, "password123", verified: true);

        var (status, body) = await SignInAsync(name, byEmailVerified, "microsoft");
        var (domainStatus, domainBody) = await SignInAsync(name, byDomainOwner, "microsoft");

        Assert.True(status == HttpStatusCode.OK, body?.ToJsonString());
        Assert.Equal(first, body!["record"]!["id"]!.GetValue<string>());
        Assert.True(domainStatus == HttpStatusCode.OK, domainBody?.ToJsonString());
        Assert.Equal(second, domainBody!["record"]!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_unconfirmed_GitLab_email_never_signs_into_the_account_with_that_email()
    {
        var name = await CreateCollectionAsync([NamedConfig("gitlab", "/api/v4/user")]);
        var victim = new OidcTestProvider.TestUser("9101", $"lab{Guid.NewGuid():N}"[..12] + "@example.com", false, "Lab", "lab");
        var victimId = await CreateUserAsync(name, victim.Email, "password123", verified: true);

        var (status, body) = await SignInAsync(name, victim, "gitlab");

        AssertEmailRequired(status, body);
        Assert.Empty(await LinksAsync(victimId));
        using var _ = await Server.SignInAsync(name, victim.Email, "password123");
    }

    private static void AssertEmailRequired(HttpStatusCode status, JsonNode? body)
    {
        Assert.True(status == HttpStatusCode.BadRequest, body?.ToJsonString());
        Assert.Equal("validation_required", body!["data"]!["email"]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_oauth2_sign_in_that_takes_over_an_unverified_account_ends_the_squatters_session()
    {
        var name = await CreateCollectionAsync([OidcConfig()], new JsonObject { ["viewRule"] = "id = @request.auth.id" });
        var victim = NewUser();
        var squatter = await CreateUserAsync(name, victim.Email, "squatter123", verified: false);
        using var squatterClient = await Server.SignInAsync(name, victim.Email, "squatter123");

        var (status, body) = await SignInAsync(name, victim);
        var (refresh, _) = await squatterClient.PostJsonAsync($"/api/collections/{name}/auth-refresh", null);
        var (view, _) = await squatterClient.GetJsonAsync($"/api/collections/{name}/records/{squatter}");

        Assert.True(status == HttpStatusCode.OK, body?.ToJsonString());
        Assert.Equal(squatter, body!["record"]!["id"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Unauthorized, refresh);
        Assert.Equal(HttpStatusCode.NotFound, view);
    }

    [Fact]
    public async Task With_MFA_on_oauth2_is_one_factor_and_password_completes_the_challenge()
    {
        var name = await CreateCollectionAsync([OidcConfig()], new JsonObject { ["mfa"] = new JsonObject { ["enabled"] = true } });
        var user = NewUser();
        var id = await CreateUserAsync(name, user.Email, "password123", verified: true);

        var (challenged, challenge) = await SignInAsync(name, user);
        var mfaId = challenge?["mfaId"]?.GetValue<string>();
        var (status, body) = await Server.Guest.PostJsonAsync(
            $"/api/collections/{name}/auth-with-password",
            new JsonObject { ["identity"] = user.Email, ["password"] = "password123", ["mfaId"] = mfaId }.ToJsonString());

        Assert.True(challenged == HttpStatusCode.Unauthorized, challenge?.ToJsonString());
        Assert.False(string.IsNullOrEmpty(mfaId));
        Assert.True(status == HttpStatusCode.OK, body?.ToJsonString());
        Assert.Equal(id, body!["record"]!["id"]!.GetValue<string>());
        Assert.Equal(["oidc:" + user.Sub], await LinksAsync(id));
    }

    [Fact]
    public async Task A_wrong_PKCE_verifier_is_refused_and_changes_nothing()
    {
        var name = await CreateCollectionAsync([OidcConfig()]);
        var (code, _) = await AuthorizeAsync(name, "oidc", NewUser());

        var (status, body) = await Server.Guest.PostJsonAsync(
            $"/api/collections/{name}/auth-with-oauth2",
            new JsonObject { ["provider"] = "oidc", ["code"] = code, ["codeVerifier"] = new string('a', 43), ["redirectURL"] = RedirectUrl }.ToJsonString());

        AssertError(HttpStatusCode.BadRequest, status, body);
        Assert.Equal("Failed to fetch OAuth2 token.", body!["message"]!.GetValue<string>());
        Assert.Empty(await RecordsAsync(name));
    }

    [Fact]
    public async Task A_wrong_reused_or_misdirected_code_is_refused()
    {
        var name = await CreateCollectionAsync([OidcConfig()]);
        var user = NewUser();
        var (code, verifier) = await AuthorizeAsync(name, "oidc", user);
        JsonObject Body(string c, string redirect) =>
            new() { ["provider"] = "oidc", ["code"] = c, ["codeVerifier"] = verifier, ["redirectURL"] = redirect };
        var url = $"/api/collections/{name}/auth-with-oauth2";

        var (wrong, wrongBody) = await Server.Guest.PostJsonAsync(url, Body("not-a-code", RedirectUrl).ToJsonString());
        var (misdirected, misdirectedBody) = await Server.Guest.PostJsonAsync(url, Body(code, "http://127.0.0.1:1/elsewhere").ToJsonString());
        var (reused, reusedBody) = await Server.Guest.PostJsonAsync(url, Body(code, RedirectUrl).ToJsonString());

        AssertError(HttpStatusCode.BadRequest, wrong, wrongBody);
        AssertError(HttpStatusCode.BadRequest, misdirected, misdirectedBody);
        AssertError(HttpStatusCode.BadRequest, reused, reusedBody);
        Assert.Empty(await RecordsAsync(name));
    }

    [Theory]
    [InlineData(OidcTestProvider.IdTokenFlaw.BadSignature)]
    [InlineData(OidcTestProvider.IdTokenFlaw.WrongAudience)]
    [InlineData(OidcTestProvider.IdTokenFlaw.Expired)]
    public async Task A_flawed_id_token_is_refused(OidcTestProvider.IdTokenFlaw flaw)
    {
        var name = await CreateCollectionAsync([OidcConfig()]);

        var (status, body) = await SignInAsync(name, NewUser() with { Flaw = flaw });

        AssertError(HttpStatusCode.BadRequest, status, body);
        Assert.Equal("Failed to fetch OAuth2 user.", body!["message"]!.GetValue<string>());
        Assert.Empty(await RecordsAsync(name));
    }

    [Fact]
    public async Task An_id_token_from_another_issuer_is_refused()
    {
        var config = OidcConfig();
        config["extra"]!["issuers"] = new JsonArray("https://issuer.example.com");
        var name = await CreateCollectionAsync([config]);

        var (status, body) = await SignInAsync(name, NewUser());

        AssertError(HttpStatusCode.BadRequest, status, body);
    }

    [Fact]
    public async Task Without_userInfoURL_the_verified_id_token_is_the_user()
    {
        var config = OidcConfig();
        config["userInfoURL"] = "";
        var name = await CreateCollectionAsync([config]);
        var user = NewUser();

        var (status, body) = await SignInAsync(name, user);

        Assert.True(status == HttpStatusCode.OK, body?.ToJsonString());
        Assert.Equal(user.Sub, body!["meta"]!["id"]!.GetValue<string>());
        Assert.Equal(user.Email, body["record"]!["email"]!.GetValue<string>());
    }
}

public sealed class OAuth2SignInSqliteTests(SqliteServerFixture f, OidcTestProvider p)
    : OAuth2SignInTests(f, p), IClassFixture<SqliteServerFixture>, IClassFixture<OidcTestProvider>;

public sealed class OAuth2SignInPostgresTests(PostgresServerFixture f, OidcTestProvider p)
    : OAuth2SignInTests(f, p), IClassFixture<PostgresServerFixture>, IClassFixture<OidcTestProvider>;
