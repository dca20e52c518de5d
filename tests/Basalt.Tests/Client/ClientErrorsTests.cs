using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Basalt.Client;
using Basalt.Tests.Fixtures;

namespace Basalt.Tests.Client;

/// <summary>Failures through the .NET client: envelopes with field errors become <see cref="ClientResponseException"/>, cancellation stays cancellation.</summary>
public abstract class ClientErrorsTests(BasaltServerFixture server)
{
    [Fact]
    public async Task Validation_errors_carry_status_message_and_field_errors()
    {
        await using var admin = await ClientKit.SuperuserAsync(server);
        var name = await ClientKit.CreatePostsAsync(admin, "errors", new JsonObject
        {
            ["fields"] = new JsonArray(
                new JsonObject { ["name"] = "title", ["type"] = "text", ["required"] = true },
                new JsonObject { ["name"] = "views", ["type"] = "number", ["max"] = 10 }),
        });

        var error = await Assert.ThrowsAsync<ClientResponseException>(() => admin.Collection(name).CreateAsync(new JsonObject { ["views"] = 11 }));
        var collectionError = await Assert.ThrowsAsync<ClientResponseException>(() => admin.Collections.CreateAsync(new JsonObject
        {
            ["name"] = "bad name!",
            ["type"] = "base",
        }));

        Assert.Equal(400, error.Status);
        Assert.Equal("Failed to create record.", error.Message);
        Assert.Equal("validation_required", error.FieldErrors["title"].Code);
        Assert.Equal("validation_max_number_constraint", error.FieldErrors["views"].Code);
        Assert.Equal("validation_required", error.ErrorData["title"]!["code"]!.GetValue<string>());
        Assert.EndsWith($"/api/collections/{name}/records", error.Url!.AbsolutePath, StringComparison.Ordinal);
        Assert.Equal(400, collectionError.Status);
        Assert.True(collectionError.FieldErrors.ContainsKey("name"));
    }

    [Fact]
    public async Task Guests_get_the_servers_401_403_and_404()
    {
        await using var guest = ClientKit.Guest(server);
        await using var admin = await ClientKit.SuperuserAsync(server);
        var locked = await ClientKit.CreatePostsAsync(admin, "locked", new JsonObject { ["listRule"] = null });

        var settings = await Assert.ThrowsAsync<ClientResponseException>(() => guest.Settings.GetAllAsync());
        var list = await Assert.ThrowsAsync<ClientResponseException>(() => guest.Collection(locked).GetListAsync());
        var missing = await Assert.ThrowsAsync<ClientResponseException>(() => guest.Collection("no_such_collection").GetOneAsync("x"));
        var signIn = await Assert.ThrowsAsync<ClientResponseException>(() => guest.Superusers.AuthWithPasswordAsync(BasaltServerFixture.SuperuserEmail, "wrong-password"));

        Assert.Equal(401, settings.Status);
        Assert.Equal(403, list.Status);
        Assert.Equal("Only superusers can perform this action.", list.Message);
        Assert.Equal(404, missing.Status);
        Assert.Equal(400, signIn.Status);
        Assert.Equal("", guest.AuthStore.Token);
    }

    [Fact]
    public async Task A_cancelled_token_cancels_the_request()
    {
        await using var guest = ClientKit.Guest(server);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => guest.Health.CheckAsync(cancelled.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => guest.Collection("users").GetListAsync(cancellationToken: cancelled.Token));
    }

    [Fact]
    public async Task No_server_is_status_zero_with_the_cause()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        await using var client = new BasaltClient(new HttpClient(), new Uri($"http://127.0.0.1:{port}/"));

        var error = await Assert.ThrowsAsync<ClientResponseException>(() => client.Health.CheckAsync());

        Assert.Equal(0, error.Status);
        Assert.IsType<HttpRequestException>(error.InnerException);
    }
}

public sealed class ClientErrorsSqliteTests(SqliteServerFixture f) : ClientErrorsTests(f), IClassFixture<SqliteServerFixture>;

public sealed class ClientErrorsPostgresTests(PostgresServerFixture f) : ClientErrorsTests(f), IClassFixture<PostgresServerFixture>;
