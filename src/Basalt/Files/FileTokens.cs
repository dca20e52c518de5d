using System.Text.Json.Nodes;
using Basalt.Auth;
using Basalt.Model;

namespace Basalt.Files;

/// <summary>
/// The short-lived tokens of protected files (§6): HS256 with claims <c>id, type:"file", collectionId, exp</c>,
/// signed with the record's <c>tokenKey</c> and its collection's <c>fileToken.secret</c>, lasting
/// <c>fileToken.duration</c> (180 s by default). Rotating either key (a password change rotates tokenKey) voids them.
/// </summary>
public sealed class FileTokens(TokenService tokens, ICollectionLookup collections, AuthRecordStore store)
{
    public const string Type = "file";
    public const string OptionsKey = "fileToken";
    public const long DefaultDuration = 180;

    /// <summary>A file token for the signed-in <paramref name="record"/> (a superuser or any auth record).</summary>
    public string Create(Record record)
    {
        var claims = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["id"] = record.Id,
            ["type"] = Type,
            ["collectionId"] = record.Collection.Id,
        };
        return tokens.Create(record, OptionsKey, TimeSpan.FromSeconds(Duration(record.Collection)), claims);
    }

    /// <summary>The auth record a valid, unexpired file token was issued to; null for anything else (an auth token included).</summary>
    public async Task<Record?> VerifyAsync(string? token, CancellationToken cancellationToken)
    {
        var unverified = TokenService.ReadUnverified(token ?? "");
        if (unverified is null || unverified.Type != Type)
        {
            return null;
        }

        var collection = collections.Find(unverified.CollectionId);
        if (collection is not { IsAuth: true } || collection.Id != unverified.CollectionId)
        {
            return null;
        }

        var record = await store.FindByIdAsync(collection, unverified.Id, cancellationToken);
        return record is not null && await tokens.VerifyAsync(token!, record, OptionsKey, Type) is not null ? record : null;
    }

    /// <summary>The collection's <c>fileToken.duration</c> in seconds, PocketBase's 180 when unset.</summary>
    private static long Duration(Collection collection) =>
        collection.Options[OptionsKey] is JsonObject section && section["duration"] is JsonValue v && v.TryGetValue<double>(out var seconds) && seconds > 0
            ? (long)seconds
            : DefaultDuration;
}
