using System.Data.Common;
using Basalt.Errors;
using Basalt.Model;
using Basalt.Query;
using Basalt.Rules;
using Basalt.Storage;
using Basalt.Storage.Tables;

namespace Basalt.Records;

/// <summary>
/// Record CRUD under the collection's rules: list, view, create, update, delete with cascade. This part reads;
/// <c>RecordService.Write.cs</c> writes. It never sees HTTP: callers pass typed queries, the body as JSON and the
/// <see cref="RequestInfo"/> that rules read.
/// </summary>
public sealed partial class RecordService
{
    public const string MissingCollection = "Missing collection context.";
    public const string UnsupportedType = "Unsupported collection type.";

    private readonly IDatabase _database;
    private readonly ICollectionLookup _collections;
    private readonly RecordQueryCompiler _compiler;
    private readonly RuleEvaluator _rules;
    private readonly TimeProvider _time;
    private readonly RecordStore _store;
    private readonly RecordExpander _expander;
    private readonly RecordCascade _cascade;
    private readonly RecordChecks _checks;
    private readonly ManageAccess _manage;
    private readonly IRecordFiles _files;

    public RecordService(RecordStore store, AuthStateStore authState, ICollectionLookup collections, RecordQueryCompiler compiler, RuleEvaluator rules, TimeProvider time, IRecordFiles files)
    {
        _files = files;
        _database = store.Database;
        _collections = collections;
        _compiler = compiler;
        _rules = rules;
        _time = time;
        _store = store;
        _expander = new RecordExpander(_store, collections, rules);
        _cascade = new RecordCascade(_store, authState, collections, time);
        _checks = new RecordChecks(_store, collections);
        _manage = new ManageAccess(_store, rules);
    }

    /// <summary>Finds a collection by id or name (case-insensitive), or throws 404.</summary>
    public Collection Resolve(string collectionIdOrName) =>
        _collections.Find(collectionIdOrName) ?? throw ApiError.NotFound(MissingCollection);

    public async Task<RecordPage> ListAsync(string collectionIdOrName, ListQuery query, RequestInfo request, CancellationToken cancellationToken)
    {
        var collection = Resolve(collectionIdOrName);
        RuleEvaluator.EnsureNotLocked(collection.ListRule, request);
        RecordQueryCompiler.CheckClientTexts(request, query.Filter, query.Sort);
        var expand = ExpandTree.Parse(query.Expand);
        var page = Math.Max(query.Page, 1);
        var perPage = Math.Clamp(query.PerPage <= 0 ? ListQuery.DefaultPerPage : query.PerPage, 1, QueryLimits.MaxPerPage);

        // The rule and the filter are compiled once; the page and the count read the same condition.
        var where = _rules.Condition(collection, collection.ListRule, request, query.Filter);
        var order = _compiler.Order(_database.Dialect, _rules.Context(collection, request, RecordStore.Alias, false), query.Sort);
        var offset = (int)Math.Min((long)(page - 1) * perPage, int.MaxValue);
        var (items, total) = await _database.ReadAsync(
            async (connection, ct) =>
            {
                var items = await _store.ListAsync(collection, where, order, perPage, offset, connection, ct);

                // A page that is not full is the end of the list, so it gives the total: counting would read every
                // matching row again (the whole table for a filter no index serves).
                var total = query.SkipTotal ? -1
                    : items.Count < perPage && (items.Count > 0 || offset == 0) ? offset + items.Count
                    : await _store.CountAsync(collection, where, connection, ct);
                return (items, total);
            },
            cancellationToken);

        if (expand is not null)
        {
            await _expander.ExpandAsync(items, expand, request, cancellationToken);
        }

        await _manage.MarkAsync(items, request, cancellationToken);
        var totalPages = total < 0 ? -1 : (total + perPage - 1) / perPage;
        return new RecordPage(page, perPage, total, totalPages, items);
    }

    public async Task<Record> ViewAsync(string collectionIdOrName, string id, string? expand, RequestInfo request, CancellationToken cancellationToken)
    {
        var collection = Resolve(collectionIdOrName);
        RuleEvaluator.EnsureNotLocked(collection.ViewRule, request);
        var tree = ExpandTree.Parse(expand);
        var record = await FindAsync(collection, id, collection.ViewRule, request, cancellationToken) ?? throw ApiError.NotFound();
        if (tree is not null)
        {
            await _expander.ExpandAsync([record], tree, request, cancellationToken);
        }

        await _manage.MarkAsync([record], request, cancellationToken);
        return record;
    }

    /// <summary>Expands relations of a record loaded elsewhere (the auth responses), each gated by its view rule.</summary>
    public async Task ExpandAsync(Record record, string? expand, RequestInfo request, CancellationToken cancellationToken)
    {
        if (ExpandTree.Parse(expand) is { } tree)
        {
            await _expander.ExpandAsync([record], tree, request, cancellationToken);
        }

        await _manage.MarkAsync([record], request, cancellationToken);
    }

    private Task<Record?> FindAsync(Collection collection, string id, string? rule, RequestInfo request, CancellationToken cancellationToken)
    {
        var where = _rules.Condition(collection, rule, request);
        return _database.ReadAsync((connection, ct) => _store.FindByIdAsync(collection, id, where, connection, null, ct), cancellationToken);
    }

    /// <summary>Deletes every record of the collection, applying the relation cascade of §4.5.</summary>
    public async Task TruncateAsync(Collection collection, CancellationToken cancellationToken)
    {
        if (collection.IsView)
        {
            throw ApiError.BadRequest(UnsupportedType);
        }

        var removed = new List<RecordFile>();
        await _database.WriteAsync(
            async (connection, transaction, ct) =>
            {
                var ids = await _store.ReadIdsAsync(collection, null, null, connection, transaction, ct);
                await _cascade.DeleteAsync(collection, ids, removed, connection, transaction, ct);
                return 0;
            },
            cancellationToken);
        await _files.DeleteAsync(removed, CancellationToken.None);
    }

    /// <summary>
    /// Inside the caller's write unit, removes every <c>_mfas</c>, <c>_otps</c>, <c>_externalAuths</c> and
    /// <c>_authOrigins</c> row of an auth collection that is being deleted.
    /// </summary>
    public Task DeleteAuthStateAsync(Collection collection, DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken) =>
        _cascade.DeleteAuthStateAsync(collection, null, connection, transaction, cancellationToken);
}
