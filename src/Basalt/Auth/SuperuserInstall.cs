using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Basalt.Errors;
using Basalt.Model;
using Microsoft.Extensions.Logging;

namespace Basalt.Auth;

/// <summary>
/// The first run in the browser: while no superuser exists, <c>basalt serve</c> prints a one-time link holding a random
/// token (32 bytes, base64url), kept in memory only and valid for an hour; <c>POST /api/superusers/install</c> with it
/// creates the first superuser. The token is spent by the first install that passes validation, so two racing
/// installs cannot both create one, and a fresh link is only made by the next start.
/// </summary>
public sealed class SuperuserInstall(SuperuserService superusers, TimeProvider time, ILogger<SuperuserInstall> logger)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(1);

    public const string InvalidToken = "The install link is invalid, expired or already used.";
    public const string Failed = "Failed to create the superuser.";

    private readonly Lock _lock = new();
    private byte[]? _token;
    private DateTimeOffset _expires;

    /// <summary>Makes the link's token (replacing any earlier one) and returns it.</summary>
    public string Issue()
    {
        var token = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        var expires = time.GetUtcNow() + Lifetime;
        lock (_lock)
        {
            _token = Encoding.UTF8.GetBytes(token);
            _expires = expires;
        }

        Log.InstallLinkIssued(logger, expires);
        return token;
    }

    /// <summary>True while <paramref name="token"/> is the link's, unexpired and unused.</summary>
    public bool IsUsable(string? token)
    {
        lock (_lock)
        {
            return Matches(token);
        }
    }

    /// <summary>
    /// Creates the first superuser. Bad input is a 400 with field errors and leaves the token usable; a wrong, expired
    /// or used token is a 401; a superuser that already exists is a 403.
    /// </summary>
    public async Task<Record> InstallAsync(string? token, string email, string password, string passwordConfirm, CancellationToken cancellationToken)
    {
        if (!IsUsable(token))
        {
            Log.InstallRefused(logger, "wrong, expired or used token");
            throw ApiError.Unauthorized(InvalidToken);
        }

        if (password != passwordConfirm)
        {
            throw ApiError.Field(Failed, "passwordConfirm", "validation_values_mismatch", "Values don't match.");
        }

        superusers.Validate(email, password);
        if (await superusers.AnyAsync(cancellationToken))
        {
            Log.InstallRefused(logger, "a superuser already exists");
            throw ApiError.Forbidden(SuperuserService.AlreadyInstalled);
        }

        if (!TrySpend(token))
        {
            Log.InstallRefused(logger, "the token was spent by a concurrent install");
            throw ApiError.Unauthorized(InvalidToken);
        }

        var record = await superusers.CreateFirstAsync(email, password, cancellationToken);
        Log.SuperuserInstalled(logger, email);
        return record;
    }

    private bool TrySpend(string? token)
    {
        lock (_lock)
        {
            if (!Matches(token))
            {
                return false;
            }

            _token = null;
            return true;
        }
    }

    private bool Matches(string? token) =>
        _token is { } expected && token is not null && time.GetUtcNow() < _expires &&
        CryptographicOperations.FixedTimeEquals(expected, Encoding.UTF8.GetBytes(token));
}
