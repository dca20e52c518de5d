using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Basalt.Auth.OAuth2;
using Basalt.Common;
using Basalt.Errors;
using Basalt.Mail;
using Basalt.Model;
using Basalt.Records.Fields;
using Basalt.Settings;
using Basalt.Storage;
using Basalt.Storage.Tables;

namespace Basalt.Auth;

/// <summary>
/// One-time passwords by email (§7.2 request-otp / auth-with-otp): the code is random digits, stored only as a bcrypt hash
/// in <c>_otps</c>, lives <c>otp.duration</c> seconds, is spent by its first successful use, and a record gets
/// <see cref="OtpAttemptLimiter.MaxFailures"/> wrong guesses per window.
/// </summary>
public sealed class OtpService(
    IDatabase database,
    AuthStateStore state,
    AuthRecordStore store,
    AuthRecordWriter writer,
    ExternalAuthStore externalAuths,
    OtpAttemptLimiter limiter,
    SettingsService settings,
    MailOutbox outbox,
    TimeProvider time)
{
    public const string InvalidOtp = "Invalid or expired OTP.";
    public const string Disabled = "The collection is not configured to allow OTP authentication.";

    /// <summary>PocketBase reuses the newest live OTP once a record has more than this many, so requests cannot grow the table.</summary>
    public const int MaxLiveOtps = 9;

    private const int DefaultDuration = 180;
    private const int DefaultLength = 8;

    // The cost of the _otps password field: cheap enough per request, and the short life and try limit do the rest.
    private const int HashCost = 8;

    /// <summary>Drops the collection's expired OTPs (the hourly cron job; a new request also purges its collection's).</summary>
    public Task<int> PurgeExpiredAsync(Collection collection, CancellationToken cancellationToken) =>
        database.WriteAsync(
            (connection, transaction, ct) => state.DeleteExpiredOtpsAsync(collection.Id, DateFormat.Format(time.GetUtcNow().AddSeconds(-Duration(collection))), connection, transaction, ct),
            cancellationToken);

    /// <summary>
    /// Creates an OTP for the record with <paramref name="email"/> and mails its code; returns the otpId. An unknown email
    /// gets an id of the same shape after the same hashing work, and no mail, so the answer tells nobody who has an account.
    /// </summary>
    public async Task<string> RequestAsync(Collection collection, string email, CancellationToken cancellationToken)
    {
        RequireEnabled(collection);
        if (email.Length == 0 || !EmailAddress.IsValid(email))
        {
            throw email.Length == 0
                ? ApiError.Field(ApiError.DefaultBadRequest, "email", "validation_required", "Cannot be blank.")
                : ApiError.Field(ApiError.DefaultBadRequest, "email", "validation_is_email", "Must be a valid email address.");
        }

        var code = RandomNumberGenerator.GetString("0123456789", Length(collection));
        var hash = PasswordHasher.Hash(code, HashCost);
        var record = await store.FindByIdentityAsync(collection, "email", email, cancellationToken);
        var sentTo = record?.GetString("email") ?? "";

        // One write unit either way (the purge, plus the new row for a real record), so both answers cost the same.
        var otpId = await database.WriteAsync(
            async (connection, transaction, ct) =>
            {
                var cutoff = DateFormat.Format(time.GetUtcNow().AddSeconds(-Duration(collection)));
                await state.DeleteExpiredOtpsAsync(collection.Id, cutoff, connection, transaction, ct);
                if (record is null)
                {
                    return RandomText.Lowercase(AuthStateStore.IdLength);
                }

                var live = await state.LiveOtpIdsAsync(collection.Id, record.Id, cutoff, connection, transaction, ct);
                if (live.Count > MaxLiveOtps)
                {
                    // Reusing the newest row with a fresh code keeps the row count bounded and the mailed code valid.
                    await state.RenewOtpAsync(live[0], hash, sentTo, connection, transaction, ct);
                    return live[0];
                }

                return await state.InsertOtpAsync(record, hash, sentTo, connection, transaction, ct);
            },
            cancellationToken);
        if (record is not null)
        {
            await QueueAsync(record, sentTo, code, otpId, cancellationToken);
        }

        return otpId;
    }

    /// <summary>
    /// Spends an OTP and returns its record; the caller finishes the sign-in with <see cref="SignInService"/>. Marks an
    /// unverified record verified when the code went to its current email, dropping its OAuth2 links, rotating its
    /// tokenKey (every earlier token stops working) and randomising a password set before the email was proven, unless
    /// MFA still asks for it.
    /// </summary>
    public async Task<Record> AuthWithOtpAsync(Collection collection, string otpId, string password, CancellationToken cancellationToken)
    {
        RequireEnabled(collection);
        var errors = new ValidationErrors();
        if (otpId.Length == 0)
        {
            errors.Add("otpId", "validation_required", "Cannot be blank.");
        }

        if (password.Length == 0)
        {
            errors.Add("password", "validation_required", "Cannot be blank.");
        }

        errors.ThrowIfAny(ApiError.DefaultBadRequest);
        var otp = await state.FindOtpAsync(collection.Id, otpId, cancellationToken) ?? throw ApiError.BadRequest(InvalidOtp);
        // Failures count per code, not per record: a stranger who requests a code for someone's email and spends its
        // tries must not lock that person out of the code they request themselves.
        var limiterKey = collection.Id + "/" + otp.Id;
        var attempt = await limiter.TryBeginAsync(limiterKey, cancellationToken) ?? throw ApiError.TooManyRequests();
        var expired = !DateFormat.TryParse(otp.Created, out var created) || created.AddSeconds(Duration(collection)) < time.GetUtcNow();
        if (expired || !PasswordHasher.Verify(password, otp.Hash))
        {
            throw ApiError.BadRequest(InvalidOtp);
        }

        await limiter.SucceededAsync(limiterKey, attempt, cancellationToken);

        // Deleting first makes the code single-use even when two requests race: only one of them deletes the row.
        if (!await state.DeleteOtpAsync(otp.Id, cancellationToken))
        {
            throw ApiError.BadRequest(InvalidOtp);
        }

        var record = await store.FindByIdAsync(collection, otp.RecordId, cancellationToken) ?? throw ApiError.BadRequest(InvalidOtp);
        if (record.Get("verified") is not true
            && otp.SentTo.Length > 0
            && string.Equals(otp.SentTo, record.GetString("email"), StringComparison.OrdinalIgnoreCase))
        {
            // Whoever registered the address before its owner proved it (account pre-hijacking) may hold a session or
            // have linked its own OAuth2 account: the links go, and a new tokenKey ends every token issued so far (with
            // MFA too, where the password is kept for the second factor).
            await externalAuths.DeleteAllAsync(collection.Id, record.Id, cancellationToken);
            var values = new Dictionary<string, object?>
            {
                ["verified"] = true,
                ["tokenKey"] = RandomText.Alphanumeric(AuthOptions.SecretLength),
            };
            if (!MfaService.Enabled(collection))
            {
                values["password"] = PasswordHasher.Hash(RandomText.Alphanumeric(30));
            }

            await writer.UpdateAsync(record, values, cancellationToken);
        }

        return record;
    }

    private static void RequireEnabled(Collection collection)
    {
        if (collection.Options["otp"] is not JsonObject otp || otp["enabled"] is not JsonValue v || !v.TryGetValue<bool>(out var on) || !on)
        {
            throw ApiError.Forbidden(Disabled);
        }
    }

    private static int Length(Collection collection) =>
        AuthCollectionOptions.Number((collection.Options["otp"] as JsonObject)?["length"]) is >= 4 and <= 32 and var n ? (int)n : DefaultLength;

    private static double Duration(Collection collection) =>
        AuthCollectionOptions.Number((collection.Options["otp"] as JsonObject)?["duration"]) is > 0 and var d ? d : DefaultDuration;

    /// <summary>Renders the code's email now and leaves the sending to the outbox, so the answer never waits for SMTP.</summary>
    private async Task QueueAsync(Record record, string to, string code, string otpId, CancellationToken cancellationToken)
    {
        var meta = (await settings.GetAsync(cancellationToken)).Meta;
        var extra = new Dictionary<string, string>(StringComparer.Ordinal) { ["{OTP}"] = code, ["{OTP_ID}"] = otpId };
        outbox.Enqueue(AuthEmailTemplates.Render(AuthEmailTemplates.Otp, record, to, "", meta, extra), AuthEmailTemplates.Otp);
    }
}
