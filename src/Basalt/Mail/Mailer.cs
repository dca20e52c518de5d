using Basalt.Settings;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace Basalt.Mail;

/// <summary>
/// Sends emails over the SMTP server of the current settings with MailKit. A new connection per email keeps it simple and
/// picks up settings changes at once; auth emails are rare enough that connection reuse would not pay for itself.
/// </summary>
public sealed class Mailer(SettingsService settings)
{
    /// <summary>Sends <paramref name="email"/>; false (nothing sent) when SMTP is disabled in the settings.</summary>
    public async Task<bool> SendAsync(Email email, CancellationToken cancellationToken)
    {
        var current = await settings.GetAsync(cancellationToken);
        var smtp = current.Smtp;
        if (!smtp.Enabled)
        {
            return false;
        }

        using var message = new MimeMessage();
        message.From.Add(new MailboxAddress(current.Meta.SenderName, current.Meta.SenderAddress));
        message.To.Add(MailboxAddress.Parse(email.To));
        message.Subject = email.Subject;
        message.Body = new BodyBuilder { HtmlBody = email.HtmlBody }.ToMessageBody();

        using var client = new SmtpClient();
        if (smtp.LocalName.Length > 0)
        {
            client.LocalDomain = smtp.LocalName;
        }

        // tls=true is implicit TLS (SMTPS); otherwise upgrade with STARTTLS when the server offers it, as PocketBase does.
        var security = smtp.Tls ? SecureSocketOptions.SslOnConnect : SecureSocketOptions.StartTlsWhenAvailable;
        await client.ConnectAsync(smtp.Host, smtp.Port, security, cancellationToken);
        if (smtp.Username.Length > 0)
        {
            SaslMechanism mechanism = smtp.AuthMethod == SmtpSettings.Login
                ? new SaslMechanismLogin(smtp.Username, smtp.Password)
                : new SaslMechanismPlain(smtp.Username, smtp.Password);
            await client.AuthenticateAsync(mechanism, cancellationToken);
        }

        await client.SendAsync(message, cancellationToken);
        await client.DisconnectAsync(true, cancellationToken);
        return true;
    }
}
