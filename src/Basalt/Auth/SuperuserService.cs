using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Basalt.Common;
using Basalt.Errors;
using Basalt.Model;
using Basalt.Records.Fields;
using Basalt.Storage.Tables;
using Microsoft.Extensions.Logging;

namespace Basalt.Auth;

/// <summary>Creates or updates superusers (the CLI's <c>superuser upsert</c>, and the test fixtures).</summary>
public sealed class SuperuserService(RecordStore store, ICollectionLookup collections, TimeProvider time, ILogger<SuperuserService> logger)
{
    public const int DefaultMinPassword = 8;

    // bcrypt ignores everything past 72 bytes; PocketBase caps passwords at 71.
    public const int MaxPassword = 71;

    private const string IdAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
    private const string TokenKeyAlphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    /// <summary>Creates the superuser, or sets a new password (and a new tokenKey, so old tokens stop working) if the email exists.</summary>
    public async Task UpsertAsync(string email, string password, CancellationToken cancellationToken)
    {
        var collection = Superusers();
        Validate(collection, email, password);
        var hash = PasswordHasher.Hash(password);
        var now = DateFormat.Format(time.GetUtcNow());
        var updatedId = await store.Database.WriteAsync(
            async (connection, transaction, ct) =>
            {
                var existing = await store.FindByValueAsync(collection, "email", email, ignoreCase: true, connection, transaction, ct);
                if (existing is null)
                {
                    await store.InsertAsync(NewSuperuser(collection, email, hash, now), connection, transaction, ct);
                }
                else
                {
                    var (row, changed) = NewPassword(collection, existing.Id, hash, now);
                    await store.UpdateAsync(row, changed, connection, transaction, ct);
                }

                return existing?.Id;
            },
            cancellationToken);
        if (updatedId is null)
        {
            Log.SuperuserCreated(logger, email);
        }
        else
        {
            Log.SuperuserUpdated(logger, email, updatedId);
        }
    }

    /// <summary>
    /// Creates the first superuser (the install link), in a write that first checks that none exists, so of two installs
    /// that race only the first to reach the writer creates one; the other gets 403 and nothing is written.
    /// </summary>
    public async Task<Record> CreateFirstAsync(string email, string password, CancellationToken cancellationToken)
    {
        var collection = Superusers();
        Validate(collection, email, password);
        var record = NewSuperuser(collection, email, PasswordHasher.Hash(password), DateFormat.Format(time.GetUtcNow()));
        await store.Database.WriteAsync(
            async (connection, transaction, ct) =>
            {
                // Two nodes on one PostgreSQL each hold an install link of their own: the lock makes the second wait
                // for the first's commit, so it sees the superuser and creates none.
                await store.LockAcrossNodesAsync(connection, transaction, ct);
                if ((await store.ReadIdsAsync(collection, null, null, connection, transaction, ct)).Count > 0)
                {
                    throw ApiError.Forbidden(AlreadyInstalled);
                }

                await store.InsertAsync(record, connection, transaction, ct);
                return true;
            },
            cancellationToken);
        Log.SuperuserCreated(logger, email);
        return record;
    }

    public const string AlreadyInstalled = "A superuser already exists.";

    /// <summary>True when at least one superuser exists (serve prints how to create one otherwise).</summary>
    public Task<bool> AnyAsync(CancellationToken cancellationToken)
    {
        var collection = Superusers();
        return store.Database.ReadAsync((connection, ct) => store.AnyAsync(collection, connection, ct), cancellationToken);
    }

    private Collection Superusers() =>
        collections.Find(SystemCollections.Superusers)
        ?? throw new InvalidOperationException("The _superusers collection is missing; the database was not initialized.");

    /// <summary>Throws a 400 with field errors when the email or password would not make a valid superuser.</summary>
    public void Validate(string email, string password) => Validate(Superusers(), email, password);

    private static void Validate(Collection collection, string email, string password)
    {
        var errors = new ValidationErrors();
        if (!EmailAddress.IsValid(email))
        {
            errors.Add("email", "validation_is_email", "Must be a valid email address.");
        }

        var passwordField = collection.FindField("password");
        var min = AuthCollectionOptions.Number(passwordField?.Options["min"]) is > 0 and var m ? (int)m : DefaultMinPassword;
        var max = AuthCollectionOptions.Number(passwordField?.Options["max"]) is > 0 and var x ? Math.Min((int)x, MaxPassword) : MaxPassword;
        if (password.Length < min || password.Length > max)
        {
            errors.Add(
                "password",
                "validation_length_out_of_range",
                $"The password must be between {min} and {max} characters long",
                new JsonObject { ["min"] = min, ["max"] = max });
        }

        errors.ThrowIfAny("Invalid superuser data.");
    }

    private static Record NewSuperuser(Collection collection, string email, string hash, string now)
    {
        var record = new Record(collection);
        foreach (var field in collection.Fields)
        {
            record.Set(field.Name, EmptyValue(field, now, creating: true));
        }

        record.Id = RandomNumberGenerator.GetString(IdAlphabet, 15);
        record.Set("email", email);
        record.Set("password", hash);
        record.Set("tokenKey", RandomNumberGenerator.GetString(TokenKeyAlphabet, 50));
        record.Set("verified", true);
        return record;
    }

    /// <summary>The new password hash, a new tokenKey and the <c>onUpdate</c> autodates of the superuser <paramref name="id"/>, and the fields they fill.</summary>
    private static (Record Row, List<string> Changed) NewPassword(Collection collection, string id, string hash, string now)
    {
        var row = new Record(collection) { Id = id };
        row.Set("password", hash);
        row.Set("tokenKey", RandomNumberGenerator.GetString(TokenKeyAlphabet, 50));
        var changed = new List<string> { "password", "tokenKey" };
        foreach (var field in collection.Fields.Where(f => f.Type == FieldType.Autodate && f.GetBool("onUpdate")))
        {
            row.Set(field.Name, now);
            changed.Add(field.Name);
        }

        return (row, changed);
    }

    /// <summary>The stored empty value of a field (see the storage table in the notes); autodates get the current time.</summary>
    private static object? EmptyValue(Field field, string now, bool creating) => field.Type switch
    {
        FieldType.Number => 0d,
        FieldType.Bool => false,
        FieldType.Json => null,
        FieldType.GeoPoint => new JsonObject { ["lon"] = 0, ["lat"] = 0 },
        FieldType.Autodate => creating && (field.GetBool("onCreate") || field.GetBool("onUpdate")) ? now : "",
        _ when field.IsMultiple => new List<string>(),
        _ => "",
    };
}
