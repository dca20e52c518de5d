using Basalt.Client.Auth;

namespace Basalt.Dashboard.Services;

/// <summary>Keeps the superuser's token and record in localStorage, so a reload stays signed in.</summary>
public sealed class BrowserAuthStorage(Browser browser) : IAuthStorage
{
    private const string Key = "basalt_superuser_auth";

    public async ValueTask<AuthState?> LoadAsync(CancellationToken cancellationToken) => AuthState.FromJson(await browser.GetItemAsync(Key));

    public async ValueTask SaveAsync(AuthState? state, CancellationToken cancellationToken)
    {
        if (state is null)
        {
            await browser.RemoveItemAsync(Key);
        }
        else
        {
            await browser.SetItemAsync(Key, state.ToJson());
        }
    }
}
