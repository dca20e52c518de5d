using System.Data.Common;
using Basalt.Common;
using Basalt.Model;
using Basalt.Records;
using Basalt.Records.Fields;

namespace Basalt.Auth;

/// <summary>
/// Adds rows to the auth-state collections (<c>_mfas</c>, <c>_otps</c>, <c>_externalAuths</c>, <c>_authOrigins</c>)
/// through the one record insert of <see cref="RecordStore"/>: a fresh id, the owner's <c>collectionRef</c> and
/// <c>recordRef</c>, both autodates, and the collection's own columns.
/// </summary>
public sealed class AuthStateRows(ICollectionLookup collections, RecordStore store, TimeProvider time)
{
    public const int IdLength = 15;

    /// <summary>Inserts the row inside the caller's transaction and returns its id.</summary>
    public async Task<string> InsertAsync(
        string collectionName,
        Record owner,
        IReadOnlyDictionary<string, object?> values,
        DbConnection connection,
        DbTransaction transaction,
        CancellationToken cancellationToken)
    {
        var collection = collections.Find(collectionName)
            ?? throw new InvalidOperationException($"The system collection {collectionName} is missing.");
        var row = new Record(collection);
        foreach (var field in collection.Fields)
        {
            row.Set(field.Name, FieldValues.Empty(field));
        }

        var id = RandomText.Lowercase(IdLength);
        var now = DateFormat.Format(time.GetUtcNow());
        row.Set("id", id);
        row.Set("collectionRef", owner.Collection.Id);
        row.Set("recordRef", owner.Id);
        row.Set("created", now);
        row.Set("updated", now);
        foreach (var (name, value) in values)
        {
            row.Set(name, value);
        }

        await store.InsertAsync(row, connection, transaction, cancellationToken);
        return id;
    }
}
