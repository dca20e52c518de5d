using Basalt.Auth.OAuth2;
using Basalt.Common;
using Basalt.Errors;
using Basalt.Mail;
using Basalt.Model;
using Basalt.Records.Fields;
using Basalt.Settings;
using Microsoft.Extensions.Logging;

namespace Basalt.Auth;

/// <summary>
/// The emailed auth flows of §7.2: verification, password reset and email change. Requests that name an email answer
/// the same whether or not it exists and send in the background, so neither the answer nor its timing tells who has an
/// account; confirmations check the token, change the record and rotate its <c>tokenKey</c> where PocketBase does.
/// </summary>
public sealed class AuthEmailService(
    AuthRecordStore store,
    AuthRecordWriter writer,
    ExternalAuthStore externalAuths,
    EmailTokens tokens,
    SettingsService settings,
    Mailer mailer,
    MailOutbox outbox,
    PasswordResetThrottle resetThrottle,
    ILogger<AuthEmailService> logger)
{
    public async Task RequestVerificationAsync(Collection collection, string email, CancellationToken cancellationToken)
    {
        if (collection.Name == SystemCollections.Superusers)
        {
            throw ApiError.BadRequest("All superusers are verified by default.");
        }

        RequireEmail("email", email);
        var record = await store.FindByIdentityAsync(collection, "email", email, cancellationToken);
        if (record is not null && record.Get("verified") is not true)
        {
            await QueueAsync(AuthEmailTemplates.Verification, record, record.GetString("email"), tokens.Create(record, EmailTokenKind.Verification), cancellationToken);
        }
    }

    public async Task ConfirmVerificationAsync(Collection collection, string token, CancellationToken cancellationToken)
    {
        var (record, email, _) = await VerifyAsync(collection, token, EmailTokenKind.Verification, cancellationToken);
        if (!string.Equals(email, record.GetString("email"), StringComparison.OrdinalIgnoreCase))
        {
            throw InvalidToken(EmailTokenKind.Verification);
        }

        if (record.Get("verified") is not true)
        {
            var values = new Dictionary<string, object?> { ["verified"] = true };

            // As PocketBase: with password sign-in off, a password set before the email was proven is not trusted.
            if (!AuthCollectionOptions.PasswordAuthEnabled(collection))
            {
                values["password"] = PasswordHasher.Hash(RandomText.Alphanumeric(30));
            }

            await writer.UpdateAsync(record, values, cancellationToken);
        }
    }

    public async Task RequestPasswordResetAsync(Collection collection, string email, CancellationToken cancellationToken)
    {
        if (!AuthCollectionOptions.PasswordAuthEnabled(collection))
        {
            throw ApiError.BadRequest("The collection is not configured to allow password authentication.");
        }

        RequireEmail("email", email);
        var record = await store.FindByIdentityAsync(collection, "email", email, cancellationToken);
        if (record is not null && resetThrottle.TryAcquire(record))
        {
            await QueueAsync(AuthEmailTemplates.ResetPassword, record, record.GetString("email"), tokens.Create(record, EmailTokenKind.PasswordReset), cancellationToken);
        }
    }

    /// <summary>Sets the new password and rotates tokenKey (signing out every session); verifies the record when the token went to its email.</summary>
    public async Task ConfirmPasswordResetAsync(Collection collection, string token, string password, string passwordConfirm, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        CheckPassword(collection, password, errors);
        if (passwordConfirm != password)
        {
            errors.Add("passwordConfirm", "validation_values_mismatch", "Values don't match.");
        }

        errors.ThrowIfAny(ApiError.DefaultBadRequest);
        var (record, email, _) = await VerifyAsync(collection, token, EmailTokenKind.PasswordReset, cancellationToken);
        var values = new Dictionary<string, object?>
        {
            ["password"] = PasswordHasher.Hash(password),
            ["tokenKey"] = RandomText.Alphanumeric(AuthOptions.SecretLength),
        };
        if (string.Equals(email, record.GetString("email"), StringComparison.OrdinalIgnoreCase))
        {
            // Proving the email of an unverified record also ends what whoever registered the address first set up:
            // its OAuth2 links go with the old password and tokens, or that party signs back in through its provider.
            if (record.Get("verified") is not true)
            {
                await externalAuths.DeleteAllAsync(collection.Id, record.Id, cancellationToken);
            }

            values["verified"] = true;
        }

        await writer.UpdateAsync(record, values, cancellationToken);
    }

    /// <summary>Mails a confirmation link to <paramref name="newEmail"/>; sent before answering, as the caller is signed in and may see failures.</summary>
    public async Task RequestEmailChangeAsync(Record auth, string newEmail, CancellationToken cancellationToken)
    {
        RequireEmail("newEmail", newEmail);
        if (string.Equals(newEmail, auth.GetString("email"), StringComparison.OrdinalIgnoreCase)
            || await store.FindByIdentityAsync(auth.Collection, "email", newEmail, cancellationToken) is not null)
        {
            throw ApiError.Field(ApiError.DefaultBadRequest, "newEmail", "validation_record_email_invalid", "User email already exists or it is invalid.");
        }

        var meta = (await settings.GetAsync(cancellationToken)).Meta;
        var token = tokens.Create(auth, EmailTokenKind.EmailChange, newEmail);
        var email = AuthEmailTemplates.Render(AuthEmailTemplates.ConfirmEmailChange, auth, newEmail, token, meta);
        try
        {
            await mailer.SendAsync(email, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Log.EmailChangeMailFailed(logger, e, auth.Id);
            throw ApiError.BadRequest("Failed to send email change request.");
        }
    }

    /// <summary>Checks the current password, then moves the record to the new email, verified, with a new tokenKey.</summary>
    public async Task ConfirmEmailChangeAsync(Collection collection, string token, string password, CancellationToken cancellationToken)
    {
        if (password.Length == 0)
        {
            throw ApiError.Field(ApiError.DefaultBadRequest, "password", "validation_required", "Cannot be blank.");
        }

        var (record, email, newEmail) = await VerifyAsync(collection, token, EmailTokenKind.EmailChange, cancellationToken);
        if (!EmailAddress.IsValid(newEmail) || !string.Equals(email, record.GetString("email"), StringComparison.OrdinalIgnoreCase))
        {
            throw InvalidToken(EmailTokenKind.EmailChange);
        }

        if (!PasswordHasher.Verify(password, record.GetString("password")))
        {
            throw ApiError.Field(ApiError.DefaultBadRequest, "password", "validation_invalid_password", "Missing or invalid auth record password.");
        }

        var taken = await store.FindByIdentityAsync(collection, "email", newEmail, cancellationToken);
        if (taken is not null && taken.Id != record.Id)
        {
            throw ApiError.Field(ApiError.DefaultBadRequest, "token", "validation_existing_token_email", "The new email address is already registered.");
        }

        await writer.UpdateAsync(
            record,
            new Dictionary<string, object?>
            {
                ["email"] = newEmail,
                ["verified"] = true,
                ["tokenKey"] = RandomText.Alphanumeric(AuthOptions.SecretLength),
            },
            cancellationToken);
    }

    /// <summary>
    /// <c>POST /api/settings/test/email</c>: renders a template of <paramref name="collection"/> for a sample record and
    /// sends it now, so a superuser sees SMTP failures.
    /// </summary>
    public async Task SendTestAsync(Collection collection, string template, string to, CancellationToken cancellationToken)
    {
        RequireEmail("email", to);
        if (!AuthEmailTemplates.ByTestName.TryGetValue(template, out var templateKey))
        {
            throw ApiError.Field(ApiError.DefaultBadRequest, "template", "validation_in_invalid", "Must be a valid value.");
        }

        var record = new Record(collection);
        record.Set("id", "RECORD_ID");
        record.Set("email", to);
        var sample = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["{OTP}"] = "123456",
            ["{OTP_ID}"] = "OTP_ID",
            ["{ALERT_INFO}"] = "a sample device",
        };
        var current = await settings.GetAsync(cancellationToken);
        var email = AuthEmailTemplates.Render(templateKey, record, to, "TOKEN_VALUE", current.Meta, sample);
        bool sent;
        try
        {
            sent = await mailer.SendAsync(email, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Log.TestMailFailed(logger, e, template);
            throw ApiError.BadRequest("Failed to send the test email.");
        }

        if (!sent)
        {
            throw ApiError.BadRequest("SMTP is not enabled in the settings.");
        }
    }

    private async Task<(Record Record, string Email, string NewEmail)> VerifyAsync(
        Collection collection, string token, EmailTokenKind kind, CancellationToken cancellationToken)
    {
        if (token.Length == 0)
        {
            throw ApiError.Field(ApiError.DefaultBadRequest, "token", "validation_required", "Cannot be blank.");
        }

        return await tokens.VerifyAsync(collection, token, kind, cancellationToken) ?? throw InvalidToken(kind);
    }

    private static ApiError InvalidToken(EmailTokenKind kind) =>
        ApiError.Field(kind.InvalidMessage, "token", "validation_invalid_token", kind.InvalidMessage);

    private static void RequireEmail(string field, string value)
    {
        if (value.Length == 0)
        {
            throw ApiError.Field(ApiError.DefaultBadRequest, field, "validation_required", "Cannot be blank.");
        }

        if (!EmailAddress.IsValid(value))
        {
            throw ApiError.Field(ApiError.DefaultBadRequest, field, "validation_is_email", "Must be a valid email address.");
        }
    }

    /// <summary>The password field's <c>min</c>/<c>max</c> (PocketBase defaults 8 and 71, bcrypt's limit in bytes).</summary>
    private static void CheckPassword(Collection collection, string password, ValidationErrors errors)
    {
        var options = collection.FindField("password")?.Options;
        var min = (int)(AuthCollectionOptions.Number(options?["min"]) is > 0 and var m ? m : 8);
        var max = (int)(AuthCollectionOptions.Number(options?["max"]) is > 0 and var x ? x : 71);
        if (password.Length == 0)
        {
            errors.Add("password", "validation_required", "Cannot be blank.");
        }
        else if (password.Length < min || System.Text.Encoding.UTF8.GetByteCount(password) > max)
        {
            errors.Add("password", "validation_length_out_of_range", $"The length must be between {min} and {max}.");
        }
    }

    /// <summary>Renders now and leaves the sending to the outbox, so the request never waits for SMTP.</summary>
    private async Task QueueAsync(string templateKey, Record record, string to, string token, CancellationToken cancellationToken)
    {
        var meta = (await settings.GetAsync(cancellationToken)).Meta;
        outbox.Enqueue(AuthEmailTemplates.Render(templateKey, record, to, token, meta), templateKey);
    }
}
