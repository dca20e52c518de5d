namespace Basalt.Auth;

/// <summary>
/// The last step every sign-in method shares (§7.1): the collection's authRule, then the MFA challenge, the new-location
/// login alert, and only then the token.
/// </summary>
public sealed class SignInService(AuthRuleChecker ruleChecker, MfaService mfa, LoginAlertService alerts, TokenService tokens)
{
    /// <summary>
    /// The auth token for <paramref name="signIn"/>; throws the envelope when the sign-in may not finish, or
    /// <see cref="MfaRequiredException"/> when it needs a second method first.
    /// </summary>
    public async Task<string> CompleteAsync(SignIn signIn, CancellationToken cancellationToken)
    {
        await ruleChecker.EnsureCanAuthenticateAsync(signIn.Record, cancellationToken);
        await mfa.EnsureSatisfiedAsync(signIn, cancellationToken);
        await alerts.CheckAsync(signIn, cancellationToken);
        return tokens.CreateAuthToken(signIn.Record);
    }
}
