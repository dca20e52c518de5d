using System.Text.Json.Nodes;
using Basalt.Model;
using Basalt.Query;
using Basalt.Rules;
using Basalt.Storage.Tables;

namespace Basalt.Records;

/// <summary>
/// An auth collection's <c>manageRule</c> (§2.6): a requester who passes it for a record may change that record's email,
/// verified state and password without the old one, and sees its email whatever <c>emailVisibility</c> says.
/// </summary>
internal sealed class ManageAccess(RecordStore store, RuleEvaluator rules)
{
    /// <summary>The non-empty rule, or null (PocketBase allows only null or a non-empty rule; both blank forms grant nothing).</summary>
    public static string? Rule(Collection collection) =>
        collection.IsAuth && collection.Options["manageRule"] is JsonValue v && v.TryGetValue<string>(out var s) && !string.IsNullOrWhiteSpace(s)
            ? s
            : null;

    /// <summary>Sets <see cref="Record.Managed"/> on every record (expanded ones included) the requester manages: one query per collection.</summary>
    public async Task MarkAsync(IEnumerable<Record> records, RequestInfo request, CancellationToken cancellationToken)
    {
        if (request.Auth is null || request.IsSuperuser)
        {
            return;
        }

        var byCollection = new Dictionary<Collection, Dictionary<string, List<Record>>>();
        Collect(records, byCollection, 0);
        foreach (var (collection, byId) in byCollection)
        {
            var rule = Rule(collection)!; // Collect only keeps collections that have one
            var where = rules.Condition(collection, rule, request);
            foreach (var chunk in byId.Keys.Chunk(200))
            {
                var managed = await store.Database.ReadAsync(
                    (connection, ct) => store.ReadIdsAsync(collection, chunk, where, connection, null, ct),
                    cancellationToken);
                foreach (var id in managed)
                {
                    foreach (var record in byId[id])
                    {
                        record.Managed = true;
                    }
                }
            }
        }
    }

    private static void Collect(IEnumerable<Record> records, Dictionary<Collection, Dictionary<string, List<Record>>> byCollection, int depth)
    {
        foreach (var record in records)
        {
            if (Rule(record.Collection) is not null)
            {
                if (!byCollection.TryGetValue(record.Collection, out var byId))
                {
                    byCollection[record.Collection] = byId = new Dictionary<string, List<Record>>(StringComparer.Ordinal);
                }

                if (!byId.TryGetValue(record.Id, out var same))
                {
                    byId[record.Id] = same = [];
                }

                same.Add(record);
            }

            if (record.Expand is { } expand && depth < 8)
            {
                foreach (var value in expand.Values)
                {
                    switch (value)
                    {
                        case Record one:
                            Collect([one], byCollection, depth + 1);
                            break;
                        case IEnumerable<Record> many:
                            Collect(many, byCollection, depth + 1);
                            break;
                    }
                }
            }
        }
    }
}
