namespace Basalt.Mail;

/// <summary>One outgoing HTML email to a single recipient; the sender comes from the settings' <c>meta</c>.</summary>
public sealed record Email(string To, string Subject, string HtmlBody);
