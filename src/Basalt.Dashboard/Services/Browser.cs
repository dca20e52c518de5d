using System.Runtime.InteropServices.JavaScript;
using Microsoft.JSInterop;

namespace Basalt.Dashboard.Services;

/// <summary>The few things only the browser can do (wwwroot/js/dashboard.js): storage, theme, downloads, the OAuth2 popup, the clipboard, focus.</summary>
/// <remarks>
/// What passes only strings is bound with [JSImport]: unlike IJSRuntime it marshals without System.Text.Json, so the
/// first load reads its session without setting up the reflection-based serializer, hundreds of methods the
/// interpreter would translate before the sign-in form (bench/README.md, dashboard first load). Those calls are
/// synchronous, as the browser APIs behind them are.
/// </remarks>
public sealed partial class Browser(IJSRuntime js)
{
    [JSImport("globalThis.basalt.getItem")]
    public static partial string? GetItem(string key);

    [JSImport("globalThis.basalt.setItem")]
    public static partial void SetItem(string key, string value);

    [JSImport("globalThis.basalt.removeItem")]
    public static partial void RemoveItem(string key);

    /// <summary>The theme in force: <c>light</c> or <c>dark</c> (the saved choice, else the system's).</summary>
    [JSImport("globalThis.basalt.getTheme")]
    public static partial string GetTheme();

    [JSImport("globalThis.basalt.setTheme")]
    public static partial void SetTheme(string theme);

    /// <summary>
    /// What the static first screen (wwwroot/js/boot.js) holds for the page that replaces it: a field's value by its
    /// id, <c>outcome</c> (<c>pending</c>, <c>signed-in</c>, <c>mfa:ID</c> or <c>error:TEXT</c>), <c>step</c>
    /// (<c>forgot</c> when that was clicked), <c>usable</c> (the install link's check). Null once the app has rendered.
    /// </summary>
    [JSImport("globalThis.basalt.handover")]
    public static partial string? Handover(string key);

    /// <summary>The outcome of the static form's sign-in that was on its way when the app started.</summary>
    [JSImport("globalThis.basalt.handoverSettled")]
    [return: JSMarshalAs<JSType.Promise<JSType.String>>]
    public static partial Task<string> HandoverSettledAsync();

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

    /// <summary>Focuses the first element that matches <paramref name="selector"/>, making it focusable by script if it is not.</summary>
    [JSImport("globalThis.basalt.focus")]
    public static partial void Focus(string selector);

    public ValueTask<bool> ConfirmAsync(string message) => js.InvokeAsync<bool>("confirm", message);

    public ValueTask<string> TimeZoneAsync() => js.InvokeAsync<string>("basalt.timeZone");
}
