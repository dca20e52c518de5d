namespace Basalt.Auth.OAuth2;

/// <summary>
/// One kind of OAuth2 provider: its default endpoints and scopes, whether it uses PKCE, and how its user JSON maps to
/// an <see cref="OAuth2User"/>. Providers hold no state; the collection's config and the HTTP client are passed in.
/// </summary>
public abstract class OAuth2Provider
{
    public abstract string DisplayName { get; }

    public virtual string AuthUrl => "";

    public virtual string TokenUrl => "";

    public virtual string UserInfoUrl => "";

    public abstract IReadOnlyList<string> Scopes { get; }

    public virtual bool Pkce => true;

    /// <summary>Extra query parameters of the authorization URL (Apple asks for <c>response_mode=form_post</c>).</summary>
    public virtual IReadOnlyList<KeyValuePair<string, string>> AuthParameters => [];

    /// <summary>Loads the signed-in user once the code has been exchanged for <paramref name="token"/>.</summary>
    public abstract Task<OAuth2User> FetchUserAsync(OAuth2ProviderConfig config, OAuth2Token token, OAuth2Http http, CancellationToken cancellationToken);
}
