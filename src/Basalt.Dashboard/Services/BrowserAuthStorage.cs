using Basalt.Client.Auth;

namespace Basalt.Dashboard.Services;

/// <summary>Keeps the superuser's token and record in localStorage, so a reload stays signed in.</summary>
public sealed class BrowserAuthStorage : IAuthStorage
{
    private const string Key = "basalt_superuser_auth";

    public ValueTask<AuthState?> LoadAsync(CancellationToken cancellationToken) => ValueTask.FromResult(AuthState.FromJson(Browser.GetItem(Key)));

    public ValueTask SaveAsync(AuthState? state, CancellationToken cancellationToken)
    {
        if (state is null)
        {
            Browser.RemoveItem(Key);
        }
        else
        {
            Browser.SetItem(Key, state.ToJson());
        }

        return ValueTask.CompletedTask;
    }
}
