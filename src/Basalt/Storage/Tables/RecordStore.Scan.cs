using System.Data.Common;
using Basalt.Model;

namespace Basalt.Storage.Tables;

/// <summary>Reading a whole table a page at a time (an export), in id order so each page starts where the last one ended.</summary>
public sealed partial class RecordStore
{
    /// <summary>Up to <paramref name="limit"/> rows whose id sorts after <paramref name="afterId"/> ("" for the first page), in id order.</summary>
    public Task<List<Record>> PageAfterAsync(Collection collection, string afterId, int limit, DbConnection connection, CancellationToken cancellationToken)
    {
        var sql = SelectRows(collection);
        sql.Append(" WHERE ").AppendColumn(Alias, "id").Append(" > ").AppendParameter(afterId);
        sql.Append(" ORDER BY ").AppendColumn(Alias, "id");
        Dialect.AppendPaging(sql, limit, 0);
        return ReadRecordsAsync(sql, collection, connection, null, cancellationToken);
    }
}
