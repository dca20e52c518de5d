using System.Data.Common;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Basalt.Api;
using Basalt.Collections;
using Basalt.Common;
using Basalt.Records;
using Basalt.Storage;
using Microsoft.Extensions.Logging;

namespace Basalt.Auth;

/// <summary>Creates or updates superusers (the CLI's <c>superuser upsert</c>, and the test fixtures).</summary>
public sealed class SuperuserService(IDatabase database, ICollectionLookup collections, TimeProvider time, ILogger<SuperuserService> logger)
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
        var updatedId = await database.WriteAsync(
            async (connection, transaction, ct) =>
            {
                var existingId = await FindIdAsync(connection, transaction, collection, email, ct);
                var sql = existingId is null
                    ? Insert(collection, email, hash, now)
                    : Update(collection, existingId, hash, now);
                await using var command = sql.CreateCommand(connection, transaction);
                await command.ExecuteNonQueryAsync(ct);
                return existingId;
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

    /// <summary>True when at least one superuser exists (serve prints how to create one otherwise).</summary>
    public async Task<bool> AnyAsync(CancellationToken cancellationToken)
    {
        var collection = Superusers();
        var sql = new SqlBuilder(database.Dialect);
        sql.Append("SELECT 1 FROM ").AppendIdentifier(collection.Name).Append(" LIMIT 1");
        return await database.ReadAsync(
            async (connection, ct) =>
            {
                await using var command = sql.CreateCommand(connection);
                return await command.ExecuteScalarAsync(ct) is not null;
            },
            cancellationToken);
    }

    private Collection Superusers() =>
        collections.Find(SystemCollections.Superusers)
        ?? throw new InvalidOperationException("The _superusers collection is missing; the database was not initialized.");

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

    private async Task<string?> FindIdAsync(DbConnection connection, DbTransaction transaction, Collection collection, string email, CancellationToken ct)
    {
        var sql = new SqlBuilder(database.Dialect);
        sql.Append("SELECT ").AppendIdentifier("id").Append(" FROM ").AppendIdentifier(collection.Name)
            .Append(" WHERE LOWER(").AppendIdentifier("email").Append(") = ").AppendParameter(email.ToLowerInvariant()).Append(" LIMIT 1");
        await using var command = sql.CreateCommand(connection, transaction);
        return await command.ExecuteScalarAsync(ct) as string;
    }

    private SqlBuilder Insert(Collection collection, string email, string hash, string now)
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

        var sql = new SqlBuilder(database.Dialect);
        sql.Append("INSERT INTO ").AppendIdentifier(collection.Name).Append(" (");
        AppendList(sql, collection.Fields, (s, f) => s.AppendIdentifier(f.Name));
        sql.Append(") VALUES (");
        AppendList(sql, collection.Fields, (s, f) => s.AppendParameter(record.Get(f.Name)));
        return sql.Append(')');
    }

    private SqlBuilder Update(Collection collection, string id, string hash, string now)
    {
        var sql = new SqlBuilder(database.Dialect);
        sql.Append("UPDATE ").AppendIdentifier(collection.Name).Append(" SET ")
            .AppendIdentifier("password").Append(" = ").AppendParameter(hash).Append(", ")
            .AppendIdentifier("tokenKey").Append(" = ").AppendParameter(RandomNumberGenerator.GetString(TokenKeyAlphabet, 50));
        foreach (var field in collection.Fields.Where(f => f.Type == FieldType.Autodate && f.GetBool("onUpdate")))
        {
            sql.Append(", ").AppendIdentifier(field.Name).Append(" = ").AppendParameter(now);
        }

        return sql.Append(" WHERE ").AppendIdentifier("id").Append(" = ").AppendParameter(id);
    }

    private static void AppendList(SqlBuilder sql, List<Field> fields, Action<SqlBuilder, Field> append)
    {
        for (var i = 0; i < fields.Count; i++)
        {
            if (i > 0)
            {
                sql.Append(", ");
            }

            append(sql, fields[i]);
        }
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
