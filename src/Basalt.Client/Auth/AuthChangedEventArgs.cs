using System.Text.Json.Nodes;

namespace Basalt.Client.Auth;

/// <summary>The new token and record after a sign-in, refresh or sign-out (empty token and null record).</summary>
public sealed class AuthChangedEventArgs(string token, JsonObject? record) : EventArgs
{
    public string Token { get; } = token;

    public JsonObject? Record { get; } = record;
}
