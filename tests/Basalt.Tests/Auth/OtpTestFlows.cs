using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Basalt.Storage;
using Basalt.Tests.Fixtures;

namespace Basalt.Tests.Auth;

/// <summary>
/// What the OTP, MFA and login alert tests share: SMTP pointed at a loopback receiver, auth collections with OTP on and a
/// template that puts the code and id in plain sight, reading the code from the delivered mail, and ageing stored rows.
/// </summary>
internal static partial class OtpTestFlows
{
    public const string Password = "member-password-1";

    public static async Task UseSmtpAsync(BasaltServerFixture server, SmtpTestServer smtp)
    {
        var (status, body) = await server.Superuser.PatchJsonAsync("/api/settings", new
        {
            meta = new { appName = "Basalt Otp", appURL = "https://app.example.com/", senderName = "Basalt", senderAddress = "noreply@example.com" },
            smtp = new { enabled = true, host = "127.0.0.1", port = smtp.Port, tls = false },
        });
        Assert.True(status == HttpStatusCode.OK, body?.ToJsonString());
    }

    /// <summary>An auth collection with a <c>username</c> field, OTP on with a plain template, and <paramref name="extra"/> on top.</summary>
    public static async Task<string> CreateCollectionAsync(BasaltServerFixture server, JsonObject? extra = null)
    {
        var options = new JsonObject
        {
            ["otp"] = new JsonObject
            {
                ["enabled"] = true,
                ["length"] = 6,
                ["emailTemplate"] = new JsonObject { ["subject"] = "Code for {APP_NAME}", ["body"] = "<p>code={OTP} id={OTP_ID}</p>" },
            },
        };
        foreach (var (key, value) in extra ?? [])
        {
            options[key] = value?.DeepClone();
        }

        return await AuthCollections.CreateAsync(server, options);
    }

    /// <summary>An unverified member with a unique email and <see cref="Password"/>; returns its email and id.</summary>
    public static async Task<(string Email, string Id)> CreateUserAsync(BasaltServerFixture server, string collection, string username = "")
    {
        var email = "otp-" + Guid.NewGuid().ToString("N")[..8] + "@example.com";
        var (status, record) = await server.Superuser.PostJsonAsync(
            $"/api/collections/{collection}/records", new { email, username, password = Password, passwordConfirm = Password });
        Assert.True(status == HttpStatusCode.OK, record?.ToJsonString());
        return (email, record!["id"]!.GetValue<string>());
    }

    /// <summary>Requests an OTP for <paramref name="email"/> and returns its id with the code from the <paramref name="nth"/> mail (1-based) to that address.</summary>
    public static async Task<(string OtpId, string Code)> RequestCodeAsync(
        BasaltServerFixture server, SmtpTestServer smtp, string collection, string email, int nth = 1)
    {
        var (status, body) = await server.Guest.PostJsonAsync($"/api/collections/{collection}/request-otp", new { email });
        Assert.True(status == HttpStatusCode.OK, body?.ToJsonString());
        var otpId = body!["otpId"]!.GetValue<string>();
        var mail = await WaitForMailsAsync(smtp, email, nth);
        var match = CodePattern().Match(mail[nth - 1].Parse().HtmlBody ?? "");
        Assert.True(match.Success, mail[nth - 1].Data);
        Assert.Equal(otpId, match.Groups[2].Value);
        return (otpId, match.Groups[1].Value);
    }

    /// <summary>The mails to <paramref name="recipient"/> once there are at least <paramref name="count"/>, polling until a deadline.</summary>
    public static async Task<List<SmtpTestMessage>> WaitForMailsAsync(SmtpTestServer smtp, string recipient, int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var mails = smtp.Messages.Where(m => m.Recipients.Contains(recipient, StringComparer.OrdinalIgnoreCase)).ToList();
            if (mails.Count >= count)
            {
                return mails;
            }

            Assert.True(DateTime.UtcNow < deadline, $"{mails.Count} of {count} mail(s) to {recipient} arrived");
            await Task.Delay(50);
        }
    }

    /// <summary>Moves a row of a system table (<c>_otps</c>, <c>_mfas</c>) into the past, so it has expired.</summary>
    public static async Task AgeRowAsync(BasaltServerFixture server, string table, string id)
    {
        var database = server.Services.GetRequiredService<IDatabase>();
        var sql = new SqlBuilder(database.Dialect);
        sql.Append("UPDATE ").AppendIdentifier(table).Append(" SET ").AppendIdentifier("created").Append(" = ").AppendParameter("2000-01-01 00:00:00.000Z")
            .Append(" WHERE ").AppendIdentifier("id").Append(" = ").AppendParameter(id);
        var changed = await database.WriteAsync(
            async (connection, transaction, ct) =>
            {
                await using var command = sql.CreateCommand(connection, transaction);
                return await command.ExecuteNonQueryAsync(ct);
            },
            CancellationToken.None);
        Assert.Equal(1, changed);
    }

    /// <summary>Whether a row with <paramref name="id"/> is still in a system table.</summary>
    public static async Task<bool> RowExistsAsync(BasaltServerFixture server, string table, string id)
    {
        var database = server.Services.GetRequiredService<IDatabase>();
        var sql = new SqlBuilder(database.Dialect);
        sql.Append("SELECT 1 FROM ").AppendIdentifier(table).Append(" WHERE ").AppendIdentifier("id").Append(" = ").AppendParameter(id);
        return await database.ReadAsync(
            async (connection, ct) =>
            {
                await using var command = sql.CreateCommand(connection);
                return await command.ExecuteScalarAsync(ct) is not null;
            },
            CancellationToken.None);
    }

    [GeneratedRegex(@"code=(\d+) id=([a-z0-9]+)")]
    private static partial Regex CodePattern();
}
