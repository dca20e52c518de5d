namespace Basalt.Auth;

/// <summary>Creates or updates superusers (the CLI's <c>superuser upsert</c>, and the test fixtures).</summary>
public sealed class SuperuserService
{
    public Task UpsertAsync(string email, string password, CancellationToken cancellationToken) =>
        throw new NotSupportedException("implemented with the superuser auth work");
}
