using Basalt.Common;
using Basalt.Errors;
using Basalt.Model;
using Basalt.Settings;

namespace Basalt.Auth;

/// <summary>
/// The last step every sign-in method shares (§7.1): the superuser IP allow-list, the collection's authRule, then the
/// MFA challenge, the new-location login alert, and only then the token.
/// </summary>
public sealed class SignInService(
    SettingsService settings, AuthRuleChecker ruleChecker, MfaService mfa, LoginAlertService alerts, TokenService tokens)
{
    /// <summary>
    /// The auth token for <paramref name="signIn"/>; throws the envelope when the sign-in may not finish, or
    /// <see cref="MfaRequiredException"/> when it needs a second method first.
    /// </summary>
    public async Task<string> CompleteAsync(SignIn signIn, CancellationToken cancellationToken)
    {
        await EnsureSuperuserIpAllowedAsync(signIn, cancellationToken);
        await ruleChecker.EnsureCanAuthenticateAsync(signIn.Record, signIn.Method, cancellationToken);
        await mfa.EnsureSatisfiedAsync(signIn, cancellationToken);
        await alerts.CheckAsync(signIn, cancellationToken);
        return tokens.CreateAuthToken(signIn.Record);
    }

    /// <summary>
    /// Refused here, before a token exists, and not only on later requests: a token issued to a disallowed IP could
    /// be carried to an allowed one.
    /// </summary>
    private async Task EnsureSuperuserIpAllowedAsync(SignIn signIn, CancellationToken cancellationToken)
    {
        if (signIn.Record.Collection.Name != SystemCollections.Superusers)
        {
            return;
        }

        var allowed = (await settings.GetAsync(cancellationToken)).SuperuserIps;
        if (allowed.Count > 0 && !IpRanges.Contains(allowed, signIn.ClientIp))
        {
            throw ApiError.Forbidden();
        }
    }
}
