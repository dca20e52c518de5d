using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Basalt.Mail;
using Basalt.Settings;
using Basalt.Tests.Fixtures;
using Basalt.Tests.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace Basalt.Tests.Mail;

/// <summary>The outbox against a real SMTP receiver on loopback: retries while the server is down, drains on shutdown.</summary>
public sealed class MailOutboxTests : IAsyncLifetime
{
    private StorageTestDatabase _db = null!;
    private SettingsService _settings = null!;

    public async Task InitializeAsync()
    {
        _db = await StorageTestDatabase.CreateAsync(StorageKind.Sqlite);
        _settings = new SettingsService(_db.Database, TimeProvider.System, NullLogger<SettingsService>.Instance);
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task A_send_that_fails_is_retried_until_the_server_answers()
    {
        var port = FreePort();
        await UseSmtpPortAsync(port);
        var outbox = new MailOutbox(new Mailer(_settings), TimeProvider.System, NullLogger<MailOutbox>.Instance) { FirstRetryDelay = TimeSpan.FromMilliseconds(300) };
        await outbox.StartAsync(CancellationToken.None);
        try
        {
            Assert.True(outbox.Enqueue(new Email("late@example.com", "hello", "<p>hi</p>"), "test"));
            await Task.Delay(200);

            await using var smtp = new SmtpTestServer(port);
            var mail = await smtp.WaitForAsync("late@example.com", TimeSpan.FromSeconds(15));
            Assert.Contains("hello", mail.Data, StringComparison.Ordinal);
        }
        finally
        {
            await outbox.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task Stopping_the_host_sends_what_is_queued_first()
    {
        await using var smtp = new SmtpTestServer();
        await UseSmtpPortAsync(smtp.Port);
        var outbox = new MailOutbox(new Mailer(_settings), TimeProvider.System, NullLogger<MailOutbox>.Instance);
        await outbox.StartAsync(CancellationToken.None);
        for (var i = 0; i < 5; i++)
        {
            Assert.True(outbox.Enqueue(new Email($"drain{i}@example.com", "bye", "<p>bye</p>"), "test"));
        }

        using var shutdown = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await outbox.StopAsync(shutdown.Token);

        Assert.Equal(5, smtp.Messages.Count);
        Assert.False(outbox.Enqueue(new Email("after@example.com", "late", "<p>late</p>"), "test"));
    }

    [Fact]
    public void A_full_queue_refuses_more_instead_of_growing()
    {
        var outbox = new MailOutbox(new Mailer(_settings), TimeProvider.System, NullLogger<MailOutbox>.Instance);
        for (var i = 0; i < MailOutbox.Capacity; i++)
        {
            Assert.True(outbox.Enqueue(new Email("x@example.com", "s", "b"), "test"));
        }

        Assert.False(outbox.Enqueue(new Email("x@example.com", "s", "b"), "test"));
        Assert.Equal(MailOutbox.Capacity, outbox.Count);
    }

    private async Task UseSmtpPortAsync(int port) =>
        await _settings.PatchAsync(new JsonObject { ["smtp"] = new JsonObject { ["enabled"] = true, ["host"] = "127.0.0.1", ["port"] = port, ["tls"] = false } }, CancellationToken.None);

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
