using System.Net;
using System.Text.Json.Nodes;
using Basalt.Common;
using Basalt.Tests.Fixtures;

namespace Basalt.Tests.Hosting;

/// <summary>
/// The server's own log as an operator's pipeline sees it (a real in-memory logging provider on the test server):
/// the events of docs/logging.md by id, with their structured fields, and never a secret.
/// </summary>
public abstract class ServerLogTests(BasaltServerFixture fixture)
{
    private BasaltServerFixture Server { get; } = fixture;

    [Fact]
    public async Task Start_up_logs_the_address_the_database_its_durability_and_the_data_folder()
    {
        var started = await Server.Logs.WaitForAsync(BasaltEventIds.Started);
        var opened = Assert.Single(Server.Logs.WithId(BasaltEventIds.StorageOpened));

        Assert.Equal(LogLevel.Information, started.Level);
        Assert.Contains(Server.BaseAddress.Authority, (string)started["Addresses"]!, StringComparison.Ordinal);
        Assert.Equal(Path.GetFullPath(Server.DataDir), started["DataDir"]);
        if (Server.Storage == StorageKind.Sqlite)
        {
            Assert.Equal("SQLite", started["Database"]);
            Assert.Equal("full", started["Durability"]);
            Assert.Equal(Path.Combine(Path.GetFullPath(Server.DataDir), "data.db"), started["Location"]);
        }
        else
        {
            Assert.Equal("PostgreSQL", started["Database"]);
            Assert.Equal("synchronous_commit=on", started["Durability"]);
            Assert.DoesNotContain("assword", (string)started["Location"]!, StringComparison.OrdinalIgnoreCase);
        }

        Assert.Equal(started["Location"], opened["Location"]);
        Assert.Contains("_superusers", (string)Assert.Single(Server.Logs.WithId(BasaltEventIds.SystemCollectionsCreated))["Names"]!, StringComparison.Ordinal);
        Assert.Contains(Server.Logs.WithId(BasaltEventIds.SuperuserCreated), e => Equals(e["Email"], BasaltServerFixture.SuperuserEmail));
    }

    [Fact]
    public async Task Creating_changing_and_deleting_a_collection_logs_each_with_its_name_and_id()
    {
        var name = HttpJson.UniqueName("logged");
        var (status, created) = await Server.Superuser.PostJsonAsync("/api/collections", new { name, type = "base", fields = new[] { new { name = "title", type = "text" } } });
        Assert.Equal(HttpStatusCode.OK, status);
        var id = created!["id"]!.GetValue<string>();
        var fields = new JsonArray([.. created["fields"]!.AsArray().Where(f => f!["name"]!.GetValue<string>() != "title").Select(f => f!.DeepClone())]);
        fields.Add(new JsonObject { ["name"] = "body", ["type"] = "text" });
        Assert.Equal(HttpStatusCode.OK, (await Server.Superuser.PatchJsonAsync($"/api/collections/{id}", new { name = name + "_2", fields })).Status);
        Assert.Equal(HttpStatusCode.NoContent, (await Server.Superuser.DeleteAsync($"/api/collections/{id}")).StatusCode);

        var create = Assert.Single(Server.Logs.WithId(BasaltEventIds.CollectionCreated), e => Equals(e["CollectionId"], id));
        var update = Assert.Single(Server.Logs.WithId(BasaltEventIds.CollectionUpdated), e => Equals(e["CollectionId"], id));
        var delete = Assert.Single(Server.Logs.WithId(BasaltEventIds.CollectionDeleted), e => Equals(e["CollectionId"], id));
        Assert.Equal(name, create["Name"]);
        Assert.Equal("table", create["TableOrView"]);
        Assert.Equal(name + "_2", update["Name"]);
        Assert.Contains(name, (string)update["Renamed"]!, StringComparison.Ordinal);
        Assert.Equal("body", update["FieldsAdded"]);
        Assert.Equal("title", update["FieldsRemoved"]);
        Assert.Equal(name + "_2", delete["Name"]);
        Assert.All([create, update, delete], e => Assert.Equal(LogLevel.Information, e.Level));
    }

    [Fact]
    public async Task A_settings_change_logs_the_sections_it_changed_and_never_a_secret()
    {
        const string Secret = "smtp-Secret-Value-42";
        var (status, _) = await Server.Superuser.PatchJsonAsync("/api/settings", new
        {
            meta = new { appName = "Logged app" },
            smtp = new { enabled = false, host = "smtp.example.com", port = 587, username = "mailer", password = Secret },
        });
        Assert.Equal(HttpStatusCode.OK, status);

        var changed = Assert.Single(Server.Logs.WithId(BasaltEventIds.SettingsChanged), e => ((string)e["Sections"]!).Contains("smtp", StringComparison.Ordinal));
        Assert.Equal(LogLevel.Information, changed.Level);
        Assert.Equal(["meta", "smtp"], ((string)changed["Sections"]!).Split(", ").Order(StringComparer.Ordinal));
        Assert.DoesNotContain(Server.Logs.Entries, e => e.AllText.Contains(Secret, StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_unhandled_exception_is_logged_as_an_error_with_the_request_and_answered_500_without_internals()
    {
        using var response = await Server.Guest.GetAsync(LoggingFixture.FailingRoute);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.DoesNotContain(LoggingFixture.Internals, body, StringComparison.Ordinal);
        var error = Assert.Single(Server.Logs.WithId(BasaltEventIds.UnhandledException), e => Equals(e["Path"], LoggingFixture.FailingRoute));
        Assert.Equal(LogLevel.Error, error.Level);
        Assert.Equal("GET", error["Method"]);
        Assert.IsType<InvalidOperationException>(error.Exception);
        Assert.False(string.IsNullOrEmpty((string?)error["TraceId"]));
    }

    [Fact]
    public async Task A_rejected_token_is_logged_at_debug_without_the_token()
    {
        const string Token = "eyJhbGciOiJIUzI1NiJ9.eyJpZCI6ImZvcmdlZCJ9.forged-signature";
        using var client = Server.NewClient(Token);
        Assert.Equal(HttpStatusCode.OK, (await client.GetJsonAsync("/api/health")).Status);

        var rejected = Assert.Single(Server.Logs.WithId(BasaltEventIds.TokenRejected), e => Equals(e["Path"]?.ToString(), "/api/health"));
        Assert.Equal(LogLevel.Debug, rejected.Level);
        Assert.DoesNotContain(Server.Logs.Entries, e => e.AllText.Contains("forged-signature", StringComparison.Ordinal));
    }
}

/// <summary>A server with one route of the host's that fails unexpectedly, as an embedding app's bug would.</summary>
public abstract class LoggingFixture : BasaltServerFixture
{
    public const string FailingRoute = "/test/fails";
    public const string Internals = "internal detail the client must not see";

    protected override void Map(WebApplication app) =>
        app.MapGet(FailingRoute, IResult () => throw new InvalidOperationException(Internals));
}

public sealed class LoggingSqliteFixture : LoggingFixture
{
    protected override StorageKind Kind => StorageKind.Sqlite;
}

public sealed class LoggingPostgresFixture : LoggingFixture
{
    protected override StorageKind Kind => StorageKind.Postgres;
}

public sealed class ServerLogSqliteTests(LoggingSqliteFixture f) : ServerLogTests(f), IClassFixture<LoggingSqliteFixture>;

public sealed class ServerLogPostgresTests(LoggingPostgresFixture f) : ServerLogTests(f), IClassFixture<LoggingPostgresFixture>;
