using System.Text.Json.Nodes;
using Basalt.Errors;

namespace Basalt.Settings;

/// <summary>
/// The <c>trustedProxy</c> settings of §1.5: which request headers carry the client IP set by a reverse proxy, and
/// whether to take the left-most IP of such a list instead of the right-most (the one the nearest proxy appended).
/// </summary>
public sealed record TrustedProxySettings(IReadOnlyList<string> Headers, bool UseLeftmostIp)
{
    public const string Key = "trustedProxy";

    public static readonly TrustedProxySettings Default = new([], false);

    public JsonObject ToJson() => new()
    {
        ["headers"] = SettingsJson.ToArray(Headers),
        ["useLeftmostIP"] = UseLeftmostIp,
    };

    internal static TrustedProxySettings Read(JsonObject json, NestedErrors errors)
    {
        var o = SettingsJson.Section(json, Key, Key, errors);
        return new(
            SettingsJson.Strings(o, "headers", Default.Headers, Key, errors),
            SettingsJson.Bool(o, "useLeftmostIP", Default.UseLeftmostIp, Key, errors));
    }

    internal void Validate(NestedErrors errors)
    {
        for (var i = 0; i < Headers.Count; i++)
        {
            if (!SettingsRules.IsHeaderName(Headers[i]))
            {
                errors.Add(NestedErrors.Path("trustedProxy.headers", i), "validation_invalid_header", "Must be a valid HTTP header name.");
            }
        }
    }
}
