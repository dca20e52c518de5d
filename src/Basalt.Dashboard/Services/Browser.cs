using Microsoft.JSInterop;

namespace Basalt.Dashboard.Services;

/// <summary>The few things only the browser can do (wwwroot/js/dashboard.js): storage, theme, downloads, the OAuth2 popup, the clipboard, focus.</summary>
public sealed class Browser(IJSRuntime js)
{
    public ValueTask<string?> GetItemAsync(string key) => js.InvokeAsync<string?>("localStorage.getItem", key);

    public ValueTask SetItemAsync(string key, string value) => js.InvokeVoidAsync("localStorage.setItem", key, value);

    public ValueTask RemoveItemAsync(string key) => js.InvokeVoidAsync("localStorage.removeItem", key);

    /// <summary>The theme in force: <c>light</c> or <c>dark</c> (the saved choice, else the system's).</summary>
    public ValueTask<string> GetThemeAsync() => js.InvokeAsync<string>("basalt.getTheme");

    public ValueTask SetThemeAsync(string theme) => js.InvokeVoidAsync("basalt.setTheme", theme);

    /// <summary>Saves <paramref name="content"/> as a file the browser downloads.</summary>
    public ValueTask DownloadAsync(string fileName, string contentType, byte[] content) =>
        js.InvokeVoidAsync("basalt.download", fileName, contentType, Convert.ToBase64String(content));

    public ValueTask OpenAsync(string url) => js.InvokeVoidAsync("open", url, "_blank", "noopener");

    /// <summary>Opens the OAuth2 popup, blank; call it first thing in a click handler, while the click still allows a popup.</summary>
    public ValueTask OpenPopupAsync() => js.InvokeVoidAsync("basalt.openPopup");

    /// <summary>Sends the OAuth2 popup to <paramref name="url"/> (opening it again if the user closed it).</summary>
    public ValueTask NavigatePopupAsync(string url) => js.InvokeVoidAsync("basalt.navigatePopup", url);

    public ValueTask ClosePopupAsync() => js.InvokeVoidAsync("basalt.closePopup");

    /// <summary>Whether the OAuth2 popup is gone (closed, blocked, or cut off from this page by the provider's opener policy).</summary>
    public ValueTask<bool> IsPopupClosedAsync() => js.InvokeAsync<bool>("basalt.popupClosed");

    public ValueTask CopyAsync(string text) => js.InvokeVoidAsync("basalt.copy", text);

    public ValueTask FocusAsync(string selector) => js.InvokeVoidAsync("basalt.focus", selector);

    public ValueTask<bool> ConfirmAsync(string message) => js.InvokeAsync<bool>("confirm", message);

    public ValueTask<string> TimeZoneAsync() => js.InvokeAsync<string>("basalt.timeZone");
}
