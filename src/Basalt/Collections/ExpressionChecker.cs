using System.Text.Json.Nodes;
using Basalt.Errors;
using Basalt.Model;
using Basalt.Query;
using Basalt.Storage;

namespace Basalt.Collections;

/// <summary>
/// The rule editor's checks as a rule or filter is typed (<c>POST /api/collections/meta/check</c>): the expression is
/// compiled by the real compiler against a saved collection or an unsaved one, with the restrictions of a saved rule or
/// of a client filter; and the names an expression may use, for autocomplete (<c>GET /api/collections/meta/fields</c>).
/// </summary>
public sealed class ExpressionChecker(CollectionCache cache, RecordQueryCompiler compiler, IDatabase database)
{
    public const string CheckFailed = "Failed to check the expression.";

    /// <summary>The macros of the filter language.</summary>
    public static readonly string[] Macros =
    [
        "@now", "@yesterday", "@tomorrow", "@todayStart", "@todayEnd", "@monthStart", "@monthEnd", "@yearStart", "@yearEnd",
        "@second", "@minute", "@hour", "@day", "@month", "@year", "@weekday",
    ];

    public static readonly string[] Modifiers = [":isset", ":length", ":each", ":lower", ":changed"];

    public static readonly string[] Functions = ["geoDistance(", "strftime("];

    /// <summary>Null when <paramref name="expression"/> compiles; otherwise why not and where, when the parser knows.</summary>
    /// <param name="collection">A collection's id or name (a string), or a whole collection object that need not be saved.</param>
    /// <param name="isRule">True for an API rule; false for a client filter of <paramref name="request"/>'s caller.</param>
    public (string Message, int? Position)? Check(JsonNode? collection, bool isRule, string expression, RequestInfo request)
    {
        var (target, lookup) = Resolve(collection);
        var context = new FilterContext { Collections = lookup, Collection = target, Request = isRule ? new RequestInfo() : request, IsRule = isRule };
        try
        {
            compiler.AppendFilter(new SqlBuilder(database.Dialect), context, expression);
            return null;
        }
        catch (ApiError e)
        {
            var syntax = e.InnerException as FilterSyntaxException;
            return (syntax?.Message ?? e.Message, syntax?.Position);
        }
    }

    /// <summary>The names an expression over <paramref name="idOrName"/> may use, grouped for an editor's autocomplete.</summary>
    public JsonObject Names(string idOrName)
    {
        var collection = cache.Find(idOrName) ?? throw ApiError.NotFound();
        var fields = collection.Fields.Select(f => f.Name).ToList();
        var relations = new List<string>();
        foreach (var field in collection.Fields.Where(f => f.Type == FieldType.Relation))
        {
            if (field.CollectionId is { } id && cache.Find(id) is { } target)
            {
                relations.AddRange(target.Fields.Select(f => field.Name + "." + f.Name));
            }
        }

        var authFields = cache.All.Where(c => c.IsAuth)
            .SelectMany(c => c.Fields)
            .Where(f => f.Type != FieldType.Password && f.Name != "tokenKey")
            .Select(f => f.Name)
            .Concat(["collectionId", "collectionName"])
            .Distinct(StringComparer.Ordinal);
        var request = authFields.Select(f => "@request.auth." + f)
            .Concat(fields.Select(f => "@request.body." + f))
            .Concat(["@request.query.", "@request.headers.", "@request.method", "@request.context"]);
        return new JsonObject
        {
            ["fields"] = Array(fields),
            ["relations"] = Array(relations),
            ["request"] = Array(request),
            ["collections"] = Array(cache.All.Select(c => "@collection." + c.Name)),
            ["macros"] = Array(Macros),
            ["modifiers"] = Array(Modifiers),
            ["functions"] = Array(Functions),
        };
    }

    /// <summary>The collection to compile against and the lookup its relations and <c>@collection.*</c> resolve through.</summary>
    private (Collection Target, ICollectionLookup Lookup) Resolve(JsonNode? node)
    {
        switch (node)
        {
            case JsonValue value when value.TryGetValue<string>(out var idOrName):
                return (cache.Find(idOrName) ?? throw ApiError.NotFound(), cache);
            case JsonObject body:
                var errors = new NestedErrors();
                var previous = body["id"] is JsonValue id && id.TryGetValue<string>(out var s) ? cache.Find(s) : null;
                var type = body["type"] is JsonValue t && t.TryGetValue<string>(out var ts) && CollectionType.IsKnown(ts) ? ts : previous?.Type ?? CollectionType.Base;
                var name = body["name"] is JsonValue n && n.TryGetValue<string>(out var ns) ? ns : previous?.Name ?? "";
                var start = CollectionJson.Write(previous ?? CollectionScaffolds.For(type, name), includeSecrets: false);
                var candidate = CollectionJson.Read(Common.JsonMerge.Merge(start, (JsonObject)body.DeepClone()), errors);
                errors.ThrowIfAny(CheckFailed);
                return (candidate, new CollectionOverlay(cache.All, [candidate]));
            default:
                throw ApiError.Field(CheckFailed, "collection", "validation_required", "Must be a collection id or name, or a collection object.");
        }
    }

    private static JsonArray Array(IEnumerable<string> names) => new(names.Select(n => (JsonNode)JsonValue.Create(n)).ToArray());
}
