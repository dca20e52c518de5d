using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Basalt.Client.Auth;

/// <summary>
/// The token and auth record a <see cref="BasaltClient"/> sends with each request, as the JS SDK's <c>authStore</c>:
/// sign-ins save here, <see cref="Changed"/> tells the app, and an optional <see cref="IAuthStorage"/> keeps the state
/// between runs (<see cref="LoadAsync"/> restores it).
/// </summary>
public sealed class AuthStore(IAuthStorage? storage = null, TimeProvider? time = null)
{
    /// <summary>The name of the superusers' collection, and its default id on a fresh PocketBase install.</summary>
    private const string SuperusersName = "_superusers";
    private const string SuperusersId = "pbc_3142635823";

    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private volatile AuthState? _state;

    /// <summary>Raised after every change of token or record, on the thread that made it.</summary>
    public event EventHandler<AuthChangedEventArgs>? Changed;

    /// <summary>The token, or empty when signed out.</summary>
    public string Token => _state?.Token ?? "";

    /// <summary>The signed-in record, or null.</summary>
    public JsonObject? Record => _state?.Record;

    /// <summary>A token is set, it is an auth token, and it has not expired (read from the token; the server decides for real).</summary>
    public bool IsValid => Payload(Token) is { } payload
        && JsonRead.String(payload["type"]) == "auth"
        && payload["exp"] is JsonValue exp && exp.TryGetValue<double>(out var seconds)
        && DateTimeOffset.FromUnixTimeSeconds((long)seconds) > _time.GetUtcNow();

    /// <summary>The signed-in record is a superuser.</summary>
    public bool IsSuperuser => Token.Length > 0 && (
        JsonRead.String(Record?["collectionName"]) == SuperusersName || JsonRead.String(Payload(Token)?["collectionId"]) == SuperusersId);

    /// <summary>Restores the state the storage saved last; a no-op without storage.</summary>
    public async ValueTask LoadAsync(CancellationToken cancellationToken = default)
    {
        if (storage is not null && await storage.LoadAsync(cancellationToken) is { } state)
        {
            _state = state;
            Changed?.Invoke(this, new AuthChangedEventArgs(state.Token, state.Record));
        }
    }

    /// <summary>Sets the token and record, saves them to the storage, and raises <see cref="Changed"/>.</summary>
    public async ValueTask SaveAsync(string token, JsonObject? record, CancellationToken cancellationToken = default)
    {
        var state = new AuthState(token, record);
        _state = state;
        if (storage is not null)
        {
            await storage.SaveAsync(state, cancellationToken);
        }

        Changed?.Invoke(this, new AuthChangedEventArgs(token, record));
    }

    /// <summary>Signs out locally: forgets the token and record, removes them from the storage, and raises <see cref="Changed"/>.</summary>
    public async ValueTask ClearAsync(CancellationToken cancellationToken = default)
    {
        _state = null;
        if (storage is not null)
        {
            await storage.SaveAsync(null, cancellationToken);
        }

        Changed?.Invoke(this, new AuthChangedEventArgs("", null));
    }

    /// <summary>The claims of a JWT, read without checking its signature (only the server can), or null when it is not one.</summary>
    public static JsonObject? Payload(string token)
    {
        var parts = token.Split('.');
        if (parts.Length != 3)
        {
            return null;
        }

        try
        {
            var base64 = parts[1].Replace('-', '+').Replace('_', '/');
            base64 = base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '=');
            return JsonNode.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(base64))) as JsonObject;
        }
        catch (Exception e) when (e is FormatException or JsonException or InvalidOperationException)
        {
            return null;
        }
    }
}
