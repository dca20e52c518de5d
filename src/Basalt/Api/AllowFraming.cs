namespace Basalt.Api;

/// <summary>
/// Endpoint metadata: the response may be embedded in a frame, so <see cref="SecurityHeadersMiddleware"/> leaves out
/// <c>X-Frame-Options</c>. Only file downloads carry it (as PocketBase does): uploaded files are meant to be embedded,
/// and they are served sandboxed.
/// </summary>
public sealed class AllowFraming
{
    public static readonly AllowFraming Instance = new();

    private AllowFraming()
    {
    }
}
