using System.Data.Common;
using System.Text.Json.Nodes;
using Basalt.Errors;
using Basalt.Model;
using Basalt.Storage.Schema;
using Basalt.Storage.Tables;

namespace Basalt.Collections;

/// <summary>Trying a view query without saving it (<c>POST /api/collections/meta/dry-run-view</c>).</summary>
public sealed partial class CollectionService
{
    public const int MaxViewQueryLength = 5000;

    /// <summary>The fields a view query would get and up to 10 sample rows, read on a read-only connection.</summary>
    public async Task<JsonObject> DryRunViewAsync(JsonObject body, CancellationToken cancellationToken)
    {
        const string failed = "Failed to run the view query.";
        if (body["query"] is not JsonValue q || !q.TryGetValue<string>(out var query) || query.Trim().Length == 0)
        {
            throw ApiError.Field(failed, "query", "validation_required", "Cannot be blank.");
        }

        if (query.Length > MaxViewQueryLength)
        {
            throw ApiError.Field(failed, "query", "validation_length_too_long", $"The length must be no more than {MaxViewQueryLength}.");
        }

        var fields = ViewQuery.DeriveFields(query, cache, out var error)
            ?? throw ApiError.Field(failed, "query", "validation_invalid_view_query", error ?? "Invalid view query.");
        foreach (var field in fields.Where(f => f.Id.Length == 0))
        {
            field.Id = CollectionIds.ForField(field.Type, field.Name, id => fields.Any(f => f.Id == id));
        }

        var statement = query.Trim().TrimEnd(';');
        var dialect = database.Dialect;
        try
        {
            Field? Shown(string column) => fields.Find(f => string.Equals(f.Name, column, StringComparison.OrdinalIgnoreCase)) is { Hidden: false } f ? f : null;
            var rows = await database.ReadAsync((c, ct) => QuerySample.ReadAsync(c, dialect, statement, 10, column => Shown(column) is not null, ct), cancellationToken);
            var sample = new JsonArray();
            foreach (var columns in rows)
            {
                var row = new JsonObject();
                foreach (var (name, value) in columns)
                {
                    var field = Shown(name)!; // the sample holds only the columns Shown keeps
                    row[field.Name] = ToJson(dialect.FromDbValue(ColumnKinds.Of(field), value));
                }

                sample.Add((JsonNode?)row);
            }

            return new JsonObject
            {
                ["fields"] = new JsonArray(fields.Select(f => (JsonNode)CollectionJson.WriteField(f)).ToArray()),
                ["sample"] = sample,
            };
        }
        catch (DbException e)
        {
            throw new ApiError(400, failed, ValidationErrors.Of("query", "validation_invalid_view_query", DatabaseMessage(e)), e);
        }
    }

    private static JsonNode? ToJson(object? value) => value switch
    {
        null => null,
        JsonNode node => node.DeepClone(),
        List<string> list => new JsonArray(list.Select(s => (JsonNode)JsonValue.Create(s)).ToArray()),
        string s => JsonValue.Create(s),
        bool b => JsonValue.Create(b),
        double d => JsonValue.Create(d),
        _ => JsonValue.Create(Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)),
    };
}
