using System.Data.Common;
using Basalt.Api;
using Basalt.Collections;
using Basalt.Common;
using Basalt.Records;
using Basalt.Storage;

namespace Basalt.Auth;

/// <summary>
/// Writes the system fields the auth flows change (password, tokenKey, verified, email) straight to the collection's
/// table, bypassing the records API's rules, and stamps every <c>onUpdate</c> autodate field.
/// </summary>
public sealed class AuthRecordWriter(IDatabase database, TimeProvider time)
{
    /// <summary>Sets <paramref name="values"/> on the row of <paramref name="record"/> and on the record itself.</summary>
    public async Task UpdateAsync(Record record, IReadOnlyDictionary<string, object?> values, CancellationToken cancellationToken)
    {
        var all = new Dictionary<string, object?>(values, StringComparer.Ordinal);
        var now = DateFormat.Format(time.GetUtcNow());
        foreach (var field in record.Collection.Fields)
        {
            if (field.Type == FieldType.Autodate && field.Options["onUpdate"] is { } onUpdate && onUpdate.GetValue<bool>())
            {
                all[field.Name] = now;
            }
        }

        var sql = new SqlBuilder(database.Dialect);
        sql.Append("UPDATE ").AppendIdentifier(record.Collection.Name).Append(" SET ");
        var first = true;
        foreach (var (name, value) in all)
        {
            sql.Append(first ? "" : ", ").AppendIdentifier(name).Append(" = ").AppendParameter(value);
            first = false;
        }

        sql.Append(" WHERE ").AppendIdentifier("id").Append(" = ").AppendParameter(record.Id);
        try
        {
            await database.WriteAsync(
                async (c, tx, ct) =>
                {
                    await using var command = sql.CreateCommand(c, tx);
                    return await command.ExecuteNonQueryAsync(ct);
                },
                cancellationToken);
        }
        catch (DbException e) when (database.Dialect.IsConstraintViolation(e))
        {
            // Only the email is unique among the fields written here: a concurrent sign-up took the new address.
            throw ApiError.Field(ApiError.DefaultBadRequest, "email", "validation_not_unique", "Value must be unique.");
        }

        foreach (var (name, value) in all)
        {
            record.Set(name, value);
        }
    }
}
