namespace Basalt.Auth;

/// <summary>
/// A first factor succeeded but the record needs a second one (§7.4): answered as <c>401 {"mfaId": "…"}</c>, the one
/// error that is not the envelope, because the JS SDK reads <c>response.mfaId</c>.
/// </summary>
public sealed class MfaRequiredException : Exception
{
    public MfaRequiredException(string mfaId)
        : base("Multi-factor authentication is required.")
    {
        MfaId = mfaId;
    }

    public MfaRequiredException()
        : this("")
    {
    }

    public MfaRequiredException(string message, Exception inner)
        : base(message, inner)
    {
        MfaId = "";
    }

    public string MfaId { get; }
}
