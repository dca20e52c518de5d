namespace Basalt.Client.Admin;

/// <summary>Whether a rule or filter compiles; when not, the server's reason and the character offset it is at (when known).</summary>
public sealed record ExpressionCheck(bool Valid, string? Message, int? Position);
