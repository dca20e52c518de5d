using Microsoft.AspNetCore.Components;

namespace Basalt.Dashboard.Services;

/// <summary>Where a link may send the dashboard by its own choice (a <c>?next=</c>, a <c>#/</c> route): only under /_/.</summary>
public static class LocalLinks
{
    /// <summary>
    /// The absolute address of <paramref name="target"/> when it stays under the dashboard's base, else null. The
    /// address checked is the one to navigate to: browsers drop tabs and newlines and strip leading control
    /// characters before reading a URL, and .NET does not, so <c>%01/%09/host</c> reads as /_/… here and as
    /// <c>//host</c> in the browser. No dashboard route has such characters, so a target with one is refused.
    /// </summary>
    public static string? Resolve(NavigationManager navigation, string target)
    {
        foreach (var c in target)
        {
            if (c < ' ' || c == '\x7f')
            {
                return null;
            }
        }

        var absolute = navigation.ToAbsoluteUri(target).AbsoluteUri;
        return absolute.StartsWith(navigation.BaseUri, StringComparison.Ordinal) ? absolute : null;
    }
}
