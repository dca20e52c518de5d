using System.Data.Common;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Basalt.Common;
using Basalt.Mail;
using Basalt.Model;
using Basalt.Settings;
using Basalt.Storage;
using Basalt.Storage.Tables;

namespace Basalt.Auth;

/// <summary>
/// New-location login alerts (§7.1): each sign-in's device fingerprint (client IP + user agent) is kept in
/// <c>_authOrigins</c>, the last <see cref="KeptOrigins"/> per record; a sign-in from a fingerprint not among them mails
/// the <c>authAlert.emailTemplate</c>, except on the record's first sign-in, when there is nothing to compare with.
/// </summary>
public sealed class LoginAlertService(IDatabase database, AuthStateStore state, SettingsService settings, MailOutbox outbox, TimeProvider time)
{
    public const int KeptOrigins = 5;


    /// <summary>Records the origin of a finished sign-in and mails an alert when it is new; a failed mail never fails the sign-in.</summary>
    public async Task CheckAsync(SignIn signIn, CancellationToken cancellationToken)
    {
        var record = signIn.Record;
        if (!Enabled(record.Collection))
        {
            return;
        }

        var fingerprint = Fingerprint(signIn.ClientIp, signIn.UserAgent);
        bool isNew;
        try
        {
            isNew = await database.WriteAsync((connection, transaction, ct) => RememberAsync(connection, transaction, record, fingerprint, ct), cancellationToken);
        }
        catch (DbException e) when (database.Dialect.IsConstraintViolation(e))
        {
            // A concurrent sign-in from the same device stored this fingerprint first; one alert (or none) is enough.
            return;
        }

        var to = record.GetString("email");
        if (isNew && to.Length > 0)
        {
            await QueueAsync(record, to, WebUtility.HtmlEncode($"IP {signIn.ClientIp}, {signIn.UserAgent}"), cancellationToken);
        }
    }

    /// <summary>A stable, non-reversible key of the device: the raw IP and user agent are not stored.</summary>
    internal static string Fingerprint(string clientIp, string userAgent) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(clientIp + "\n" + userAgent)));

    private static bool Enabled(Collection collection) =>
        collection.Options["authAlert"] is JsonObject alert && alert["enabled"] is JsonValue v && v.TryGetValue<bool>(out var on) && on;

    /// <summary>Stores or refreshes the fingerprint and trims the record's origins; true when an alert is due.</summary>
    private async Task<bool> RememberAsync(DbConnection connection, DbTransaction transaction, Record record, string fingerprint, CancellationToken ct)
    {
        var origins = await state.OriginsAsync(record.Collection.Id, record.Id, connection, transaction, ct);
        var known = origins.FindIndex(o => o.Fingerprint == fingerprint);
        if (known >= 0)
        {
            await state.TouchOriginAsync(origins[known].Id, connection, transaction, ct);
            origins.RemoveAt(known);
        }
        else
        {
            await state.InsertOriginAsync(record, fingerprint, connection, transaction, ct);
        }

        foreach (var (id, _) in origins.Skip(KeptOrigins - 1))
        {
            await state.DeleteOriginAsync(id, connection, transaction, ct);
        }

        return known < 0 && origins.Count > 0;
    }

    private async Task QueueAsync(Record record, string to, string alertInfo, CancellationToken cancellationToken)
    {
        var meta = (await settings.GetAsync(cancellationToken)).Meta;
        var extra = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["{ALERT_INFO}"] = alertInfo + " (" + DateFormat.Format(time.GetUtcNow()) + ")",
        };
        outbox.Enqueue(AuthEmailTemplates.Render(AuthEmailTemplates.LoginAlert, record, to, "", meta, extra), AuthEmailTemplates.LoginAlert);
    }
}
