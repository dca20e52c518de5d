namespace Basalt.Auth;

/// <summary>
/// One of the emailed token types of §6: its JWT <c>type</c>, the collection option holding its secret and duration,
/// and the message a bad token of that kind answers with.
/// </summary>
public sealed record EmailTokenKind(string Type, string OptionsKey, string InvalidMessage)
{
    public static readonly EmailTokenKind Verification =
        new("verification", "verificationToken", "Invalid or expired verification token.");

    public static readonly EmailTokenKind PasswordReset =
        new("passwordReset", "passwordResetToken", "Invalid or expired password reset token.");

    public static readonly EmailTokenKind EmailChange =
        new("emailChange", "emailChangeToken", "Invalid or expired email change token.");
}
