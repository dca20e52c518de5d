using System.Data.Common;
using Basalt.Collections;

namespace Basalt.Storage;

/// <summary>Keeps each collection's table (or view) in step with its definition; always runs inside the caller's write.</summary>
public sealed class SchemaMigrator(IDatabase database)
{
    public ISqlDialect Dialect => database.Dialect;

    /// <summary>Creates the table (base, auth) or view (view) and its indexes.</summary>
    public Task CreateAsync(DbConnection connection, DbTransaction transaction, Collection collection, CancellationToken cancellationToken) =>
        throw new NotSupportedException("schema migrator not built yet");

    /// <summary>
    /// Moves the table from <paramref name="previous"/> to <paramref name="next"/>: fields matched by id are renamed or
    /// converted, new ones added, missing ones dropped, indexes rebuilt; rows are kept.
    /// </summary>
    public Task UpdateAsync(DbConnection connection, DbTransaction transaction, Collection previous, Collection next, CancellationToken cancellationToken) =>
        throw new NotSupportedException("schema migrator not built yet");

    public Task DropAsync(DbConnection connection, DbTransaction transaction, Collection collection, CancellationToken cancellationToken) =>
        throw new NotSupportedException("schema migrator not built yet");
}
