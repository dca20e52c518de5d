using System.Text.RegularExpressions;
using Basalt.Errors;
using Basalt.Model;
using Basalt.Query;
using Basalt.Records.Fields;
using Basalt.Rules;
using Basalt.Storage;
using Basalt.Storage.Tables;

namespace Basalt.Records;

/// <summary>
/// Loads <c>?expand=</c> relations level by level with one <c>IN (…)</c> query per relation and level (no N+1),
/// applying each related collection's viewRule so records the caller may not view are silently left out.
/// A related record appears in the response once per parent that links to it, so the response grows as the product
/// of the relation sizes along a path; past <see cref="MaxExpandedRecords"/> expanded records in one response the
/// request is refused before the next level is loaded. A wide tree over back-relations runs many queries, so the
/// expand as a whole is bounded too: at most <see cref="MaxQueries"/> queries, and together no longer than one read.
/// </summary>
internal sealed partial class RecordExpander(RecordStore store, ICollectionLookup collections, RuleEvaluator rules)
{
    /// <summary>The most expanded records one response may hold, counted as they are written out.</summary>
    public const int MaxExpandedRecords = 10_000;

    public const string TooManyMessage = "Too many records to expand (more than 10000 in one response).";

    /// <summary>The most queries one expand may run (each relation of each level is one query per 200 ids).</summary>
    public const int MaxQueries = 100;

    public const string TooManyQueriesMessage = "The expand is too wide (more than 100 queries).";

    private const int ChunkSize = 200;
    private const int MaxBackRelations = 1000;

    public async Task ExpandAsync(IReadOnlyList<Record> records, ExpandTree tree, RequestInfo request, CancellationToken cancellationToken)
    {
        var context = request with { Context = "expand" };
        var copies = new Dictionary<Record, long>(ReferenceEqualityComparer.Instance);
        foreach (var record in records)
        {
            copies[record] = copies.GetValueOrDefault(record) + 1;
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(store.Database.ReadTimeout);
        try
        {
            await ExpandLevelAsync(records, copies, tree, context, new Budget(), deadline.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or ReadTimeoutException && deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new ReadTimeoutException("The expand ran past its deadline.", e);
        }
    }

    /// <param name="copies">How many times each of <paramref name="records"/> is written out in the response.</param>
    private async Task ExpandLevelAsync(IReadOnlyList<Record> records, Dictionary<Record, long> copies, ExpandTree tree, RequestInfo request, Budget budget, CancellationToken cancellationToken)
    {
        foreach (var record in records)
        {
            record.Expand ??= new Dictionary<string, object?>(StringComparer.Ordinal);
        }

        if (records.Count == 0 || tree.IsEmpty)
        {
            return;
        }

        var collection = records[0].Collection;
        foreach (var (name, child) in tree.Children)
        {
            var loaded = collection.FindField(name) is { Type: FieldType.Relation } field
                ? await ExpandForwardAsync(records, field, name, request, budget, cancellationToken)
                : await ExpandBackAsync(records, collection, name, request, budget, cancellationToken);
            if (loaded is not { Count: > 0 })
            {
                continue;
            }

            var childCopies = new Dictionary<Record, long>(ReferenceEqualityComparer.Instance);
            foreach (var record in records)
            {
                var times = copies.GetValueOrDefault(record, 1);
                switch (record.Expand!.GetValueOrDefault(name))
                {
                    case Record one:
                        budget.Spend(times);
                        childCopies[one] = childCopies.GetValueOrDefault(one) + times;
                        break;
                    case List<Record> many:
                        budget.Spend(times * many.Count);
                        foreach (var item in many)
                        {
                            childCopies[item] = childCopies.GetValueOrDefault(item) + times;
                        }

                        break;
                }
            }

            if (!child.IsEmpty)
            {
                await ExpandLevelAsync(loaded, childCopies, child, request, budget, cancellationToken);
            }
        }
    }

    private async Task<List<Record>?> ExpandForwardAsync(IReadOnlyList<Record> records, Field field, string key, RequestInfo request, Budget budget, CancellationToken cancellationToken)
    {
        var target = field.CollectionId is { } id ? collections.Find(id) : null;
        if (target is null || (target.ViewRule is null && !request.IsSuperuser))
        {
            return null;
        }

        var ids = records.SelectMany(r => FieldValues.Items(r.Get(field.Name))).Distinct(StringComparer.Ordinal).ToList();
        var loaded = new List<Record>();
        var where = ids.Count > 0 ? rules.Condition(target, target.ViewRule, request) : null;
        foreach (var chunk in ids.Chunk(ChunkSize))
        {
            budget.Query();
            loaded.AddRange(await store.Database.ReadAsync(
                (connection, ct) => store.FindManyAsync(target, chunk, where, connection, null, ct),
                cancellationToken));
        }

        var byId = loaded.ToDictionary(r => r.Id, StringComparer.Ordinal);
        foreach (var record in records)
        {
            var found = FieldValues.Items(record.Get(field.Name)).Select(i => byId.GetValueOrDefault(i)).OfType<Record>().ToList();
            if (found.Count == 0)
            {
                continue;
            }

            record.Expand![key] = field.IsMultiple ? found : found[0];
        }

        return loaded;
    }

    private async Task<List<Record>?> ExpandBackAsync(IReadOnlyList<Record> records, Collection collection, string key, RequestInfo request, Budget budget, CancellationToken cancellationToken)
    {
        var m = BackRelationRegex().Match(key);
        if (!m.Success)
        {
            return null;
        }

        var source = collections.Find(m.Groups[1].Value);
        var field = source?.FindField(m.Groups[2].Value);
        if (source is null || field is not { Type: FieldType.Relation } || field.CollectionId != collection.Id)
        {
            return null;
        }

        if (source.ViewRule is null && !request.IsSuperuser)
        {
            return null;
        }

        var ids = records.Select(r => r.Id).Distinct(StringComparer.Ordinal).ToList();
        var loaded = new List<Record>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        SqlCondition? where = null;
        foreach (var chunk in ids.Chunk(ChunkSize))
        {
            budget.Query();
            where ??= rules.Condition(source, source.ViewRule, request);
            var rows = await store.Database.ReadAsync(
                (connection, ct) => store.FindBackRelationsAsync(source, field, chunk, MaxBackRelations, where, connection, ct),
                cancellationToken);
            foreach (var record in rows)
            {
                if (seen.Add(record.Id))
                {
                    loaded.Add(record);
                }
            }
        }

        var byParent = new Dictionary<string, List<Record>>(StringComparer.Ordinal);
        foreach (var record in loaded)
        {
            foreach (var parent in FieldValues.Items(record.Get(field.Name)).Distinct(StringComparer.Ordinal))
            {
                if (!byParent.TryGetValue(parent, out var list))
                {
                    list = [];
                    byParent[parent] = list;
                }

                if (list.Count < MaxBackRelations)
                {
                    list.Add(record);
                }
            }
        }

        var single = HasSingleColumnUniqueIndex(source, field.Name);
        foreach (var record in records)
        {
            if (byParent.TryGetValue(record.Id, out var found))
            {
                record.Expand![key] = single ? found[0] : found;
            }
        }

        return loaded;
    }

    /// <summary>A back-relation is one record (not a list) when its field alone carries a UNIQUE index.</summary>
    internal static bool HasSingleColumnUniqueIndex(Collection collection, string field)
    {
        foreach (var index in collection.Indexes)
        {
            var m = UniqueIndexRegex().Match(index);
            if (!m.Success)
            {
                continue;
            }

            var columns = m.Groups[1].Value.Split(',');
            if (columns.Length != 1)
            {
                continue;
            }

            var column = columns[0].Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries)[0].Trim('`', '"', '[', ']', '\'');
            if (string.Equals(column, field, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Counts the expanded records a response will hold and refuses the request past the bound.</summary>
    private sealed class Budget
    {
        private long _spent;
        private int _queries;

        public void Query()
        {
            if (++_queries > MaxQueries)
            {
                throw ApiError.BadRequest(TooManyQueriesMessage);
            }
        }

        public void Spend(long records)
        {
            _spent += records;
            if (_spent > MaxExpandedRecords)
            {
                throw ApiError.BadRequest(TooManyMessage);
            }
        }
    }

    [GeneratedRegex(@"^(\w+)_via_(\w+)$")]
    private static partial Regex BackRelationRegex();

    [GeneratedRegex(@"^\s*CREATE\s+UNIQUE\s+INDEX\s+.*?\bON\s+\S+\s*\(([^)]*)\)", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex UniqueIndexRegex();
}
