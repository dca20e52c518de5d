namespace Basalt.Settings;

/// <summary>
/// The <c>smtp</c> settings of §11. <see cref="Password"/> is write-only: it is stored but never serialised to a client.
/// <see cref="Tls"/> means implicit TLS on connect (port 465); otherwise STARTTLS is used when the server offers it.
/// </summary>
public sealed record SmtpSettings(
    bool Enabled, string Host, int Port, string Username, string Password, string AuthMethod, bool Tls, string LocalName)
{
    public const string Plain = "PLAIN";
    public const string Login = "LOGIN";

    public static readonly SmtpSettings Default = new(false, "smtp.example.com", 587, "", "", Plain, false, "");
}
