using System.Text.Json.Nodes;
using Basalt.Common;
using Basalt.Errors;
using Basalt.Model;
using Basalt.Query;
using Basalt.Records;
using Basalt.Records.Fields;
using Basalt.Storage.Tables;

namespace Basalt.Auth.OAuth2;

/// <summary>
/// <c>auth-with-oauth2</c> up to the token (§7.3): exchange the code, load the provider's user, then find the record
/// (an existing link, the caller's own record, a record with the same verified email) or create one through the
/// records API so the collection's createRule applies, and link it.
/// </summary>
public sealed class OAuth2SignInService(
    OAuth2Http http, ExternalAuthStore externalAuths, AuthRecordStore store, AuthRecordWriter writer, RecordService records, RecordStore recordStore)
{
    public const string FailedToAuthenticate = "Failed to authenticate.";
    public const string Disabled = "The collection is not configured to allow OAuth2 authentication.";

    /// <summary>
    /// Runs the exchange for <paramref name="exchange"/>. <paramref name="request"/> is the caller (its auth record is
    /// linked when no link exists yet) with context <c>oauth2</c>, which a new record's createRule sees.
    /// </summary>
    public async Task<OAuth2SignIn> SignInAsync(
        Collection collection, OAuth2Exchange exchange, JsonObject createData, RequestInfo request, CancellationToken cancellationToken)
    {
        EnsureEnabled(collection);
        var config = Validate(collection, exchange);
        var token = await http.ExchangeCodeAsync(config, exchange, cancellationToken);
        var user = await config.Provider.FetchUserAsync(config, token, http, cancellationToken);

        var linkedId = await externalAuths.FindRecordIdAsync(collection.Id, config.Name, user.Id, cancellationToken);
        var record = await FindRecordAsync(collection, linkedId, user, request, cancellationToken);
        var isNew = record is null;
        var linked = linkedId is not null;
        if (record is null)
        {
            record = await CreateAsync(collection, config.Name, user, createData, request, cancellationToken);
            linked = true;
        }
        else
        {
            linked &= !await UpdateExistingAsync(record, user, request, cancellationToken);
        }

        if (!linked)
        {
            await externalAuths.InsertAsync(record, config.Name, user.Id, cancellationToken);
        }

        return new OAuth2SignIn(record, user, token, isNew);
    }

    /// <summary>403 unless the collection has <c>oauth2.enabled</c>; checked before the body is even read, as PocketBase does.</summary>
    public static void EnsureEnabled(Collection collection)
    {
        if (!OAuth2ProviderConfig.Enabled(collection))
        {
            throw ApiError.Forbidden(Disabled);
        }
    }

    /// <summary>The body checks of PocketBase's form, each error naming its field.</summary>
    private static OAuth2ProviderConfig Validate(Collection collection, OAuth2Exchange exchange)
    {
        var errors = new ValidationErrors();
        var config = exchange.Provider.Length > 0 ? OAuth2ProviderConfig.Find(collection, exchange.Provider) : null;
        if (exchange.Provider.Length == 0)
        {
            errors.Add("provider", "validation_required", "Cannot be blank.");
        }
        else if (config is null)
        {
            errors.Add("provider", "validation_invalid_provider", $"Provider with name \"{exchange.Provider}\" is missing or is not enabled.");
        }

        if (exchange.Code.Length == 0)
        {
            errors.Add("code", "validation_required", "Cannot be blank.");
        }

        if (exchange.RedirectUrl.Length == 0)
        {
            errors.Add("redirectURL", "validation_required", "Cannot be blank.");
        }

        errors.ThrowIfAny(ApiError.LoadFailed);
        return config!; // set whenever no error was thrown above
    }

    private async Task<Record?> FindRecordAsync(
        Collection collection, string? linkedId, OAuth2User user, RequestInfo request, CancellationToken cancellationToken)
    {
        if (linkedId is not null)
        {
            return await store.FindByIdAsync(collection, linkedId, cancellationToken) ?? throw ApiError.BadRequest(FailedToAuthenticate);
        }

        if (request.Auth is { } caller && caller.Collection.Id == collection.Id)
        {
            return await store.FindByIdAsync(collection, caller.Id, cancellationToken);
        }

        return user.Email.Length > 0 ? await store.FindByIdentityAsync(collection, "email", user.Email, cancellationToken) : null;
    }

    /// <summary>
    /// A sign-up through the records API: createData, then the provider's email and the mapped fields unless createData
    /// set them, and a random password unless it chose one. Verified when its email is the provider's (verified) one.
    /// The verified flag and the provider link are written in the record's own transaction: a crash or a refused link
    /// never leaves an unlinked account behind that the next sign-in could not claim.
    /// </summary>
    private async Task<Record> CreateAsync(
        Collection collection, string provider, OAuth2User user, JsonObject createData, RequestInfo request, CancellationToken cancellationToken)
    {
        if (collection.Name == SystemCollections.Superusers)
        {
            throw ApiError.BadRequest(FailedToAuthenticate);
        }

        var payload = (JsonObject)createData.DeepClone();
        if (payload["email"] is not JsonValue email || !email.TryGetValue<string>(out var given) || given.Length == 0)
        {
            payload["email"] = user.Email;
        }

        Map(collection, payload, "id", user.Id);
        Map(collection, payload, "name", user.Name);
        Map(collection, payload, "username", user.Username);
        Map(collection, payload, "avatarURL", user.AvatarUrl);
        if (!payload.ContainsKey("password"))
        {
            var password = RandomText.Alphanumeric(30);
            payload["password"] = password;
            payload["passwordConfirm"] = password;
        }

        var created = await records.CreateAsync(
            collection.Id,
            payload,
            [],
            null,
            request,
            async (record, connection, transaction, ct) =>
            {
                if (record.Get("verified") is not true && string.Equals(record.GetString("email"), user.Email, StringComparison.OrdinalIgnoreCase))
                {
                    record.Set("verified", true);
                    await recordStore.UpdateAsync(record, ["verified"], connection, transaction, ct);
                }

                await externalAuths.InsertAsync(connection, transaction, record, provider, user.Id, ct);
            },
            cancellationToken);
        return await store.FindByIdAsync(collection, created.Id, cancellationToken) ?? created;
    }

    /// <summary>
    /// Sets a mapped field unless createData did. Empty provider values are skipped (except the id), and a file field
    /// is left alone: downloading the avatar into it comes with file uploads.
    /// </summary>
    private static void Map(Collection collection, JsonObject payload, string key, string value)
    {
        var field = OAuth2ProviderConfig.MappedField(collection, key);
        if (field.Length == 0 || payload.ContainsKey(field) || (value.Length == 0 && key != "id") || collection.FindField(field) is not { } target
            || target.Type == FieldType.File)
        {
            return;
        }

        payload[field] = value;
    }

    /// <summary>
    /// An existing record still unverified may have been registered by someone else with the victim's email before the
    /// victim signed in with the provider (account pre-hijacking): unless it is the caller's own record, its other links
    /// are dropped and its password randomised (signing out its sessions). Returns true when the links were dropped.
    /// </summary>
    private async Task<bool> UpdateExistingAsync(Record record, OAuth2User user, RequestInfo request, CancellationToken cancellationToken)
    {
        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        var isOwn = request.Auth is { } caller && caller.Id == record.Id && caller.Collection.Id == record.Collection.Id;
        var verified = record.Get("verified") is true;
        var unlinked = false;
        if (!isOwn && !verified)
        {
            await externalAuths.DeleteAllAsync(record.Collection.Id, record.Id, cancellationToken);
            unlinked = true;
            values["password"] = PasswordHasher.Hash(RandomText.Alphanumeric(30));
            values["tokenKey"] = RandomText.Alphanumeric(AuthOptions.SecretLength);
        }

        // A record first created through a provider that gave no email takes this one's.
        var email = record.GetString("email");
        if (email.Length == 0 && user.Email.Length > 0 && record.Collection.FindField("email") is not null)
        {
            values["email"] = email = user.Email;
        }

        if (!verified && (email.Length == 0 || string.Equals(email, user.Email, StringComparison.OrdinalIgnoreCase)))
        {
            values["verified"] = true;
        }

        if (values.Count > 0)
        {
            await writer.UpdateAsync(record, values, cancellationToken);
        }

        return unlinked;
    }
}
