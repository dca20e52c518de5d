namespace Basalt.Client.Auth;

/// <summary>
/// Where an <see cref="AuthStore"/> keeps its state between runs: implement it over the browser's localStorage (through
/// JS interop in Blazor), a file, or secure storage on a device. Both methods may be called from any thread.
/// </summary>
public interface IAuthStorage
{
    /// <summary>The saved state, or null when there is none.</summary>
    ValueTask<AuthState?> LoadAsync(CancellationToken cancellationToken);

    /// <summary>Saves <paramref name="state"/>; null means signed out (remove what is saved).</summary>
    ValueTask SaveAsync(AuthState? state, CancellationToken cancellationToken);
}
