using System.Text.Json.Nodes;
using Basalt.Common;
using Basalt.Errors;
using Basalt.Model;
using Basalt.Storage.Tables;

namespace Basalt.Auth;

/// <summary>
/// Multi-factor sign-in (§7.4): when <c>mfa.enabled</c> and the record matches <c>mfa.rule</c>, the first method leaves
/// a <c>_mfas</c> row and answers with its id; a second, different method that presents that id within
/// <c>mfa.duration</c> spends the row and may finish the sign-in.
/// </summary>
public sealed class MfaService(AuthRuleChecker rules, AuthStateStore state, TimeProvider time)
{
    public const string InvalidSession = "Invalid or expired MFA session.";
    public const string SameMethod = "A different authentication method is required.";

    private const int DefaultDuration = 600;

    public static bool Enabled(Collection collection) =>
        Section(collection) is { } mfa && mfa["enabled"] is JsonValue v && v.TryGetValue<bool>(out var on) && on;

    /// <summary>
    /// Returns when <paramref name="signIn"/> may get its token: MFA is off or does not apply to the record, or the sign-in
    /// completes a challenge. Otherwise stores a challenge and throws <see cref="MfaRequiredException"/>.
    /// </summary>
    public async Task EnsureSatisfiedAsync(SignIn signIn, CancellationToken cancellationToken)
    {
        var collection = signIn.Record.Collection;
        if (!Enabled(collection))
        {
            return;
        }

        if (!string.IsNullOrEmpty(signIn.MfaId))
        {
            await CompleteAsync(signIn, signIn.MfaId, cancellationToken);
            return;
        }

        var rule = Section(collection)?["rule"] is JsonValue r && r.TryGetValue<string>(out var text) ? text : "";
        if (!await rules.MatchesAsync(signIn.Record, rule, signIn.Method, cancellationToken))
        {
            return;
        }

        await PurgeExpiredAsync(collection, cancellationToken);
        throw new MfaRequiredException(await CreateAsync(signIn, cancellationToken));
    }

    private async Task CompleteAsync(SignIn signIn, string mfaId, CancellationToken cancellationToken)
    {
        var collection = signIn.Record.Collection;
        var cutoff = Cutoff(collection);
        var method = await state.FindMfaMethodAsync(mfaId, collection.Id, signIn.Record.Id, cutoff, cancellationToken)
            ?? throw ApiError.BadRequest(InvalidSession);
        if (string.Equals(method, signIn.Method, StringComparison.Ordinal))
        {
            throw ApiError.BadRequest(SameMethod);
        }

        // Only the request that deletes the row completes it, so one challenge yields one token.
        if (!await state.DeleteMfaAsync(mfaId, cancellationToken))
        {
            throw ApiError.BadRequest(InvalidSession);
        }
    }

    private Task<string> CreateAsync(SignIn signIn, CancellationToken cancellationToken) =>
        state.InsertMfaAsync(signIn.Record, signIn.Method, cancellationToken);

    /// <summary>Drops the collection's expired challenges, so abandoned sign-ins do not pile up (also the hourly cron job).</summary>
    public Task<int> PurgeExpiredAsync(Collection collection, CancellationToken cancellationToken) =>
        state.DeleteExpiredMfasAsync(collection.Id, Cutoff(collection), cancellationToken);

    private string Cutoff(Collection collection)
    {
        var duration = AuthCollectionOptions.Number(Section(collection)?["duration"]) is > 0 and var d ? d : DefaultDuration;
        return DateFormat.Format(time.GetUtcNow().AddSeconds(-duration));
    }

    private static JsonObject? Section(Collection collection) => collection.Options["mfa"] as JsonObject;
}
