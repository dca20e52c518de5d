using System.Text.RegularExpressions;
using Basalt.Collections;
using Basalt.Rules;
using Basalt.Storage;

namespace Basalt.Records;

/// <summary>
/// Loads <c>?expand=</c> relations level by level with one <c>IN (…)</c> query per relation and level (no N+1),
/// applying each related collection's viewRule so records the caller may not view are silently left out.
/// </summary>
internal sealed partial class RecordExpander(RecordStore store, ICollectionLookup collections, RuleEvaluator rules)
{
    private const int ChunkSize = 200;
    private const int MaxBackRelations = 1000;

    public async Task ExpandAsync(IReadOnlyList<Record> records, ExpandTree tree, RequestInfo request, CancellationToken cancellationToken)
    {
        var context = request with { Context = "expand" };
        await ExpandLevelAsync(records, tree, context, cancellationToken);
    }

    private async Task ExpandLevelAsync(IReadOnlyList<Record> records, ExpandTree tree, RequestInfo request, CancellationToken cancellationToken)
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
                ? await ExpandForwardAsync(records, field, name, request, cancellationToken)
                : await ExpandBackAsync(records, collection, name, request, cancellationToken);
            if (loaded is { Count: > 0 } && !child.IsEmpty)
            {
                await ExpandLevelAsync(loaded, child, request, cancellationToken);
            }
        }
    }

    private async Task<List<Record>?> ExpandForwardAsync(IReadOnlyList<Record> records, Field field, string key, RequestInfo request, CancellationToken cancellationToken)
    {
        var target = field.CollectionId is { } id ? collections.Find(id) : null;
        if (target is null || (target.ViewRule is null && !request.IsSuperuser))
        {
            return null;
        }

        var ids = records.SelectMany(r => RecordStore.Items(r.Get(field.Name))).Distinct(StringComparer.Ordinal).ToList();
        var loaded = new List<Record>();
        foreach (var chunk in ids.Chunk(ChunkSize))
        {
            var sql = store.SelectFrom(target);
            sql.Append(" WHERE ").AppendColumn(RecordStore.Alias, "id").Append(" IN (");
            for (var i = 0; i < chunk.Length; i++)
            {
                sql.Append(i > 0 ? ", " : "").AppendParameter(chunk[i]);
            }

            sql.Append(')');
            loaded.AddRange(await ReadAsync(sql, target, request, cancellationToken));
        }

        var byId = loaded.ToDictionary(r => r.Id, StringComparer.Ordinal);
        foreach (var record in records)
        {
            var found = RecordStore.Items(record.Get(field.Name)).Select(i => byId.GetValueOrDefault(i)).OfType<Record>().ToList();
            if (found.Count == 0)
            {
                continue;
            }

            record.Expand![key] = field.IsMultiple ? found : found[0];
        }

        return loaded;
    }

    private async Task<List<Record>?> ExpandBackAsync(IReadOnlyList<Record> records, Collection collection, string key, RequestInfo request, CancellationToken cancellationToken)
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
        foreach (var chunk in ids.Chunk(ChunkSize))
        {
            var sql = store.SelectFrom(source);
            sql.Append(" WHERE ");
            RecordStore.AppendRelationContainsAny(sql, field, chunk);
            loaded.AddRange(await ReadAsync(sql, source, request, cancellationToken));
        }

        var single = HasSingleColumnUniqueIndex(source, field.Name);
        foreach (var record in records)
        {
            var found = loaded.Where(r => RecordStore.Items(r.Get(field.Name)).Contains(record.Id)).Take(MaxBackRelations).ToList();
            if (found.Count == 0)
            {
                continue;
            }

            record.Expand![key] = single ? found[0] : found;
        }

        return loaded;
    }

    private Task<List<Record>> ReadAsync(SqlBuilder sql, Collection target, RequestInfo request, CancellationToken cancellationToken)
    {
        rules.AppendCondition(sql, target, RecordStore.Alias, target.ViewRule, request);
        return store.Database.ReadAsync((connection, ct) => store.ReadAllAsync(sql, target, connection, null, ct), cancellationToken);
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

    [GeneratedRegex(@"^(\w+)_via_(\w+)$")]
    private static partial Regex BackRelationRegex();

    [GeneratedRegex(@"^\s*CREATE\s+UNIQUE\s+INDEX\s+.*?\bON\s+\S+\s*\(([^)]*)\)", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex UniqueIndexRegex();
}
