using Basalt.Model;
using Basalt.Query;
using Basalt.Storage;
using Basalt.Storage.Tables;

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
        // Compiled once: the page and the count read the same condition.
        var context = new FilterContext { Collections = cache, Collection = CollectionsTable, Request = request };
        var where = compiler.Condition(database.Dialect, context, query.Filter);
        var order = compiler.Order(database.Dialect, context, query.Sort).ThenBy("created").ThenBy("id");
        var rows = new RecordStore(database);
        var (ids, total) = await database.ReadAsync(
            async (c, ct) => (
                await rows.ReadIdsAsync(CollectionsTable, where, order, query.PerPage, query.Offset, c, ct),
                query.SkipTotal ? -1 : await rows.CountAsync(CollectionsTable, where, c, ct)),
            cancellationToken);

        var items = ids.Select(cache.Find).OfType<Collection>().ToList();
        var pages = total < 0 ? -1 : (total + query.PerPage - 1) / query.PerPage;
        return new CollectionPage(query.Page, query.PerPage, total, pages, items);
    }
}
