namespace Basalt.Client.Admin;

/// <summary>The server's verdict on a rule or filter: valid, or the message and the 0-based position of the first error.</summary>
public sealed record ExpressionCheck(bool Valid, string? Message, int? Position);
