using Basalt.Model;

namespace Basalt.Auth;

/// <summary>
/// A first factor that has succeeded: the record, the method (<c>password</c>, <c>otp</c>, <c>oauth2</c>), the
/// <c>mfaId</c> the client sent to complete an MFA challenge (null when none), and the client it came from.
/// </summary>
public sealed record SignIn(Record Record, string Method, string? MfaId, string ClientIp, string UserAgent);
