using System.Globalization;
using Basalt.Model;
using Basalt.Query;
using Basalt.Storage;

namespace Basalt.Collections;

/// <summary>Listing collections: the filter and sort compiler runs over <c>_collections</c> described as a virtual collection.</summary>
public sealed partial class CollectionService
{
    /// <summary>The columns of <c>_collections</c> a client may filter and sort on, as fields the compiler understands.</summary>
    private static readonly Collection CollectionsTable = new()
    {
        Id = SystemTables.Collections,
        Name = SystemTables.Collections,
        Type = CollectionType.Base,
        System = true,
        Fields =
        [
            CollectionScaffolds.IdField(),
            FieldOptions.NewField(FieldType.Autodate, "created", new() { ["onCreate"] = true }),
            FieldOptions.NewField(FieldType.Autodate, "updated", new() { ["onCreate"] = true, ["onUpdate"] = true }),
            FieldOptions.NewField(FieldType.Text, "name"),
            FieldOptions.NewField(FieldType.Bool, "system"),
            FieldOptions.NewField(FieldType.Text, "type"),
        ],
    };

    /// <summary>A page of collections; <paramref name="request"/> is the caller's, so a filter may read <c>@request.*</c>.</summary>
    public async Task<CollectionPage> ListAsync(ListQuery query, RequestInfo request, CancellationToken cancellationToken)
    {
        var context = new FilterContext { Collections = cache, Collection = CollectionsTable, Request = request };

        SqlBuilder From(string columns)
        {
            var sql = new SqlBuilder(database.Dialect);
            sql.Append("SELECT ").Append(columns).Append(" FROM ").AppendIdentifier(SystemTables.Collections).Append(' ').AppendIdentifier(context.Alias);
            if (!string.IsNullOrWhiteSpace(query.Filter))
            {
                sql.Append(" WHERE (");
                compiler.AppendFilter(sql, context, query.Filter);
                sql.Append(')');
            }

            return sql;
        }

        var select = From(database.Dialect.Quote(context.Alias) + "." + database.Dialect.Quote("id"));
        select.Append(" ORDER BY ");
        if (RecordQueryCompiler.HasSortKeys(query.Sort))
        {
            compiler.AppendSort(select, context, query.Sort ?? "");
            select.Append(", ");
        }

        select.AppendColumn(context.Alias, "created").Append(", ").AppendColumn(context.Alias, "id");
        database.Dialect.AppendPaging(select, query.PerPage, query.Offset);
        var count = query.SkipTotal ? null : From("COUNT(*)");

        var (ids, total) = await database.ReadAsync(
            async (c, ct) =>
            {
                var found = new List<string>();
                await using (var command = select.CreateCommand(c))
                await using (var reader = await command.ExecuteReaderAsync(ct))
                {
                    while (await reader.ReadAsync(ct))
                    {
                        found.Add(reader.GetString(0));
                    }
                }

                if (count is null)
                {
                    return (found, -1L);
                }

                await using var countCommand = count.CreateCommand(c);
                return (found, Convert.ToInt64(await countCommand.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture));
            },
            cancellationToken);

        var items = ids.Select(cache.Find).OfType<Collection>().ToList();
        var pages = total < 0 ? -1 : (total + query.PerPage - 1) / query.PerPage;
        return new CollectionPage(query.Page, query.PerPage, total, pages, items);
    }
}
