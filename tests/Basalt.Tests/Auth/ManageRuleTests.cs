using System.Net;
using System.Text.Json.Nodes;
using Basalt.Model;
using Basalt.Tests.Fixtures;

namespace Basalt.Tests.Auth;

/// <summary>
/// An auth collection's manageRule (§2.6, §5.3): a record that passes it may set another user's email, verified state and
/// password without the old one, and sees emails whatever emailVisibility says, expanded records included. Everyone else
/// gets the owner's limits.
/// </summary>
public abstract class ManageRuleTests(BasaltServerFixture server)
{
    private const string Password = "manage-password-1";

    [Fact]
    public async Task Manager_changes_another_users_email_and_password_without_the_old_one()
    {
        var staff = await CreateStaffAsync();
        var admin = await CreateUserAsync(staff, "admin");
        var member = await CreateUserAsync(staff, "member");
        var newEmail = "managed-" + Guid.NewGuid().ToString("N")[..8] + "@example.com";

        var (status, body) = await server.NewClient(admin.Token).PatchJsonAsync(
            Url(member), new { email = newEmail, password = "manage-password-2", passwordConfirm = "manage-password-2", verified = true });

        Assert.True(status == HttpStatusCode.OK, body?.ToJsonString());
        Assert.Equal(newEmail, body!["email"]!.GetValue<string>());
        Assert.True(body["verified"]!.GetValue<bool>());
        using var signedIn = await server.SignInAsync(staff, newEmail, "manage-password-2");
        var (refresh, _) = await server.NewClient(member.Token).PostJsonAsync($"/api/collections/{staff}/auth-refresh", null);
        Assert.Equal(HttpStatusCode.Unauthorized, refresh);
    }

    [Fact]
    public async Task Non_manager_passing_the_update_rule_still_cannot_touch_protected_fields()
    {
        var staff = await CreateStaffAsync();
        var member = await CreateUserAsync(staff, "member");
        var other = await CreateUserAsync(staff, "member");
        var (_, before) = await server.Superuser.GetJsonAsync(Url(other));

        var (email, emailBody) = await server.NewClient(member.Token).PatchJsonAsync(Url(other), new { email = "stolen@example.com" });
        var (password, passwordBody) = await server.NewClient(member.Token).PatchJsonAsync(Url(other), new { password = "stolen-pass-1", passwordConfirm = "stolen-pass-1" });
        var (verified, verifiedBody) = await server.NewClient(member.Token).PatchJsonAsync(Url(other), new { verified = true });

        Assert.Equal(HttpStatusCode.BadRequest, email);
        Assert.Equal("validation_in_invalid", emailBody!["data"]!["email"]!["code"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.BadRequest, password);
        Assert.Equal("validation_required", passwordBody!["data"]!["oldPassword"]!["code"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.BadRequest, verified);
        Assert.Equal("validation_in_invalid", verifiedBody!["data"]!["verified"]!["code"]!.GetValue<string>());
        var (_, after) = await server.Superuser.GetJsonAsync(Url(other));
        Assert.Equal(before!.ToJsonString(), after!.ToJsonString());
    }

    [Fact]
    public async Task Manager_sees_hidden_emails_others_do_not()
    {
        var staff = await CreateStaffAsync();
        var admin = await CreateUserAsync(staff, "admin");
        var member = await CreateUserAsync(staff, "member");
        var other = await CreateUserAsync(staff, "member");

        var (_, asAdmin) = await server.NewClient(admin.Token).GetJsonAsync(Url(other));
        var (_, asMember) = await server.NewClient(member.Token).GetJsonAsync(Url(other));
        var (_, listAsAdmin) = await server.NewClient(admin.Token).GetJsonAsync($"/api/collections/{staff}/records?perPage=100");
        var (_, listAsMember) = await server.NewClient(member.Token).GetJsonAsync($"/api/collections/{staff}/records?perPage=100");

        Assert.Equal(other.Email, asAdmin!["email"]!.GetValue<string>());
        Assert.False(asMember!.AsObject().ContainsKey("email"));
        Assert.All(listAsAdmin!["items"]!.AsArray(), item => Assert.True(item!.AsObject().ContainsKey("email")));
        var membersView = listAsMember!["items"]!.AsArray().Where(i => i!["id"]!.GetValue<string>() != member.Id).ToList();
        Assert.NotEmpty(membersView);
        Assert.All(membersView, item => Assert.False(item!.AsObject().ContainsKey("email")));
    }

    [Fact]
    public async Task Manager_sees_emails_of_expanded_records()
    {
        var staff = await CreateStaffAsync();
        var admin = await CreateUserAsync(staff, "admin");
        var member = await CreateUserAsync(staff, "member");
        var other = await CreateUserAsync(staff, "member");
        var tasks = HttpJson.UniqueName("tasks");
        var staffId = server.Services.GetRequiredService<ICollectionLookup>().Find(staff)!.Id;
        var (made, madeBody) = await server.Superuser.PostJsonAsync("/api/collections", new
        {
            name = tasks,
            type = "base",
            listRule = "",
            viewRule = "",
            fields = new object[] { new { name = "assignee", type = "relation", collectionId = staffId, maxSelect = 1 } },
        });
        Assert.True(made == HttpStatusCode.OK, madeBody?.ToJsonString());
        var (_, task) = await server.Superuser.PostJsonAsync($"/api/collections/{tasks}/records", new { assignee = other.Id });
        var url = $"/api/collections/{tasks}/records/{task!["id"]}?expand=assignee";

        var (_, asAdmin) = await server.NewClient(admin.Token).GetJsonAsync(url);
        var (_, asMember) = await server.NewClient(member.Token).GetJsonAsync(url);

        Assert.Equal(other.Email, asAdmin!["expand"]!["assignee"]!["email"]!.GetValue<string>());
        Assert.False(asMember!["expand"]!["assignee"]!.AsObject().ContainsKey("email"));
    }

    [Fact]
    public async Task Only_a_manager_creates_verified_records()
    {
        var staff = await CreateStaffAsync();
        var admin = await CreateUserAsync(staff, "admin");
        var member = await CreateUserAsync(staff, "member");

        var (byAdmin, byAdminBody) = await server.NewClient(admin.Token).PostJsonAsync(
            $"/api/collections/{staff}/records", new { email = NewEmail(), password = Password, passwordConfirm = Password, verified = true });
        var rejectedEmail = NewEmail();
        var (byMember, byMemberBody) = await server.NewClient(member.Token).PostJsonAsync(
            $"/api/collections/{staff}/records", new { email = rejectedEmail, password = Password, passwordConfirm = Password, verified = true });

        Assert.True(byAdmin == HttpStatusCode.OK, byAdminBody?.ToJsonString());
        Assert.True(byAdminBody!["verified"]!.GetValue<bool>());
        Assert.Equal(HttpStatusCode.BadRequest, byMember);
        Assert.Equal("validation_in_invalid", byMemberBody!["data"]!["verified"]!["code"]!.GetValue<string>());
        var (_, list) = await server.Superuser.GetJsonAsync($"/api/collections/{staff}/records?filter=" + Uri.EscapeDataString($"email = '{rejectedEmail}'"));
        Assert.Equal(0, list!["totalItems"]!.GetValue<int>());
    }

    private static string Url(SignedUpUser user) => $"/api/collections/{user.Collection}/records/{user.Id}";

    private static string NewEmail() => "staff-" + Guid.NewGuid().ToString("N")[..8] + "@example.com";

    /// <summary>Any signed-in member may list, view and update everyone; only role "admin" manages.</summary>
    private async Task<string> CreateStaffAsync()
    {
        var name = HttpJson.UniqueName("staff");
        const string signedIn = "@request.auth.id != ''";
        var body = new JsonObject
        {
            ["name"] = name,
            ["type"] = "auth",
            ["fields"] = new JsonArray(new JsonObject { ["name"] = "role", ["type"] = "text" }),
            ["createRule"] = "",
            ["listRule"] = signedIn,
            ["viewRule"] = signedIn,
            ["updateRule"] = signedIn,
            ["manageRule"] = "@request.auth.role = 'admin'",
        };
        var (status, created) = await server.Superuser.PostJsonAsync("/api/collections", body.ToJsonString());
        Assert.True(status == HttpStatusCode.OK, created?.ToJsonString());
        return name;
    }

    private Task<SignedUpUser> CreateUserAsync(string collection, string role) =>
        AuthCollections.SignUpAsync(server, collection, NewEmail(), Password, new JsonObject { ["role"] = role }, asSuperuser: true);

}

public sealed class ManageRuleSqliteTests(SqliteServerFixture f) : ManageRuleTests(f), IClassFixture<SqliteServerFixture>;

public sealed class ManageRulePostgresTests(PostgresServerFixture f) : ManageRuleTests(f), IClassFixture<PostgresServerFixture>;
