using System.Data.Common;
using Basalt.Common;
using Basalt.Errors;
using Basalt.Model;
using Basalt.Storage.Tables;

namespace Basalt.Auth;

/// <summary>
/// Writes the system fields the auth flows change (password, tokenKey, verified, email) through
/// <see cref="RecordStore"/>, bypassing the records API's rules, and stamps every <c>onUpdate</c> autodate field. Every
/// write goes to the change log like any other, so realtime sends it and a client signed in as the record loses that
/// sign-in when its tokenKey changes, whichever flow changed it.
/// </summary>
public sealed class AuthRecordWriter(RecordStore store, TimeProvider time)
{
    /// <summary>Sets <paramref name="values"/> on the row of <paramref name="record"/> and on the record itself.</summary>
    public async Task UpdateAsync(Record record, IReadOnlyDictionary<string, object?> values, CancellationToken cancellationToken)
    {
        var changed = new Record(record.Collection);
        foreach (var (name, value) in record.Values)
        {
            changed.Set(name, value);
        }

        var names = new HashSet<string>(values.Keys, StringComparer.Ordinal);
        foreach (var (name, value) in values)
        {
            changed.Set(name, value);
        }

        var now = DateFormat.Format(time.GetUtcNow());
        foreach (var field in record.Collection.Fields)
        {
            if (field.Type == FieldType.Autodate && field.GetBool("onUpdate"))
            {
                changed.Set(field.Name, now);
                names.Add(field.Name);
            }
        }

        try
        {
            await store.Database.WriteAsync(
                async (connection, transaction, ct) =>
                {
                    await store.UpdateAsync(changed, names, connection, transaction, ct);
                    return 0;
                },
                cancellationToken);
        }
        catch (DbException e) when (store.Dialect.IsConstraintViolation(e))
        {
            // Only the email is unique among the fields written here: a concurrent sign-up took the new address.
            throw ApiError.Field(ApiError.DefaultBadRequest, "email", "validation_not_unique", "Value must be unique.");
        }

        foreach (var name in names)
        {
            record.Set(name, changed.Get(name));
        }
    }
}
