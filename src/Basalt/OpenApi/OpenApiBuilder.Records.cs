using System.Text.Json.Nodes;
using Basalt.Model;
using static Basalt.OpenApi.OpenApiJson;

namespace Basalt.OpenApi;

/// <summary>The record routes of one collection: list, view, create, update, delete, with its fields as schemas.</summary>
internal sealed partial class OpenApiBuilder
{
    private void AddCollection(Collection collection)
    {
        var rules = new (string Action, string? Rule)[]
        {
            ("list", collection.ListRule), ("view", collection.ViewRule), ("create", collection.CreateRule),
            ("update", collection.UpdateRule), ("delete", collection.DeleteRule),
        };
        var actions = rules.Where(r => _full || r.Rule is not null).Where(r => !collection.IsView || r.Action is "list" or "view").ToList();
        var auth = collection.IsAuth && (_full || AuthOpen(collection));
        if (actions.Count == 0 && !auth)
        {
            return;
        }

        var key = SchemaKey("records." + collection.Name);
        var tag = collection.Name;
        AddTag(tag, $"{(collection.IsView ? "View" : collection.IsAuth ? "Auth" : "Base")} collection `{collection.Name}` (id `{collection.Id}`).");
        _schemas[key] = RecordSchema(collection);
        if (!collection.IsView)
        {
            _schemas[key + ".create"] = BodySchema(collection, create: true, multipart: false);
            _schemas[key + ".update"] = BodySchema(collection, create: false, multipart: false);
        }

        var records = $"/api/collections/{collection.Name}/records";
        foreach (var (action, rule) in actions)
        {
            AddRecordOperation(collection, key, tag, records, action, rule);
        }

        if (auth)
        {
            AddAuthRoutes(collection, key, tag);
        }
    }

    private void AddRecordOperation(Collection collection, string key, string tag, string records, string action, string? rule)
    {
        var who = RuleWords.Describe(rule, action);
        var one = records + "/{id}";
        var recordRef = Ref(key);
        switch (action)
        {
            case "list":
                AddOperation(records, "get", Operation(
                    records, $"{collection.Name}.list", tag, $"List {collection.Name} records",
                    who + " Filter and sort with the filter language (§5); at most 1000 per page.",
                    new JsonObject
                    {
                        ["200"] = Response("A page of records.", ListOf(recordRef)),
                        ["400"] = ResponseRef("BadRequest"),
                        ["403"] = ResponseRef("Forbidden"),
                    },
                    secured: true, optionalAuth: true, query: ListParameters()));
                break;
            case "view":
                AddOperation(one, "get", Operation(
                    one, $"{collection.Name}.view", tag, $"View a {collection.Name} record", who,
                    new JsonObject { ["200"] = Response("The record.", recordRef), ["403"] = ResponseRef("Forbidden"), ["404"] = ResponseRef("NotFound") },
                    secured: true, optionalAuth: true, query: RecordParameters()));
                break;
            case "create":
                AddOperation(records, "post", Operation(
                    records, $"{collection.Name}.create", tag, $"Create a {collection.Name} record",
                    who + " Send JSON, or multipart/form-data to upload files (other values may go in an `@jsonPayload` part as JSON).",
                    new JsonObject { ["200"] = Response("The created record.", recordRef), ["400"] = ResponseRef("BadRequest"), ["403"] = ResponseRef("Forbidden") },
                    secured: true, optionalAuth: true, query: RecordParameters(),
                    body: Body(Ref(key + ".create"), multipart: BodySchema(collection, create: true, multipart: true))));
                break;
            case "update":
                AddOperation(one, "patch", Operation(
                    one, $"{collection.Name}.update", tag, $"Update a {collection.Name} record",
                    who + " Only the keys sent change; modifiers such as `tags+`, `views-` and `files-` add or remove.",
                    new JsonObject
                    {
                        ["200"] = Response("The updated record.", recordRef),
                        ["400"] = ResponseRef("BadRequest"),
                        ["403"] = ResponseRef("Forbidden"),
                        ["404"] = ResponseRef("NotFound"),
                    },
                    secured: true, optionalAuth: true, query: RecordParameters(),
                    body: Body(Ref(key + ".update"), multipart: BodySchema(collection, create: false, multipart: true))));
                break;
            default:
                AddOperation(one, "delete", Operation(
                    one, $"{collection.Name}.delete", tag, $"Delete a {collection.Name} record",
                    who + " Relations pointing at it are cleared, or their records deleted with cascadeDelete.",
                    new JsonObject
                    {
                        ["204"] = ResponseRef("NoContent"),
                        ["400"] = ResponseRef("BadRequest"),
                        ["403"] = ResponseRef("Forbidden"),
                        ["404"] = ResponseRef("NotFound"),
                    },
                    secured: true, optionalAuth: true));
                break;
        }
    }

    /// <summary>A record as the API returns it: every readable field plus collectionId, collectionName and expand.</summary>
    private JsonObject RecordSchema(Collection collection)
    {
        var properties = new List<(string, JsonNode)>();
        foreach (var field in collection.Fields.Where(f => f.Type != FieldType.Password && f.Name != "tokenKey" && (_full || !f.Hidden)))
        {
            properties.Add((field.Name, FieldSchemas.Read(field, NameOf)));
        }

        properties.Add(("collectionId", Type("string")));
        properties.Add(("collectionName", Type("string")));
        properties.Add(("expand", new JsonObject
        {
            ["type"] = "object",
            ["additionalProperties"] = true,
            ["description"] = "The relations asked for with `?expand=`: a record, or an array of them for multiple relations.",
        }));
        var required = collection.Fields.Where(f => f.Name == "id").Select(f => f.Name).Concat(["collectionId", "collectionName"]);
        var description = collection.IsAuth
            ? "`email` is left out unless `emailVisibility` is true or the caller is the record itself, a superuser, or passes the manageRule."
            : null;
        return Object(properties, required, description);
    }

    /// <summary>
    /// A create or update body: the writable fields (not autodate); create requires the required fields that the server
    /// does not fill, and on an auth collection the password and its confirmation.
    /// </summary>
    private JsonObject BodySchema(Collection collection, bool create, bool multipart)
    {
        var writable = collection.Fields.Where(f => f.Type != FieldType.Autodate && f.Name != "tokenKey" && (create || f.Name != "id")).ToList();
        var properties = writable.Select(f => (f.Name, (JsonNode)FieldSchemas.Write(f, NameOf, multipart))).ToList();
        var required = new List<string>();
        if (collection.IsAuth)
        {
            properties.Add(("passwordConfirm", new JsonObject { ["type"] = "string", ["writeOnly"] = true, ["description"] = "Must equal `password`." }));
            if (!create)
            {
                properties.Add(("oldPassword", new JsonObject
                {
                    ["type"] = "string",
                    ["writeOnly"] = true,
                    ["description"] = "The current password, needed to change it without manage access.",
                }));
            }
        }

        if (create)
        {
            required.AddRange(writable
                .Where(f => f.Required && f.Name != "id" && string.IsNullOrEmpty(f.GetString("autogeneratePattern")) && !(collection.IsAuth && f.Type == FieldType.Password))
                .Select(f => f.Name));
            if (collection.IsAuth)
            {
                required.AddRange(["password", "passwordConfirm"]);
            }
        }

        return Object(properties, required.Distinct(StringComparer.Ordinal));
    }

    private static JsonObject ListOf(JsonObject item)
    {
        var list = Object(
            [
                ("page", Type("integer")), ("perPage", Type("integer")),
                ("totalItems", Type("integer", "-1 with skipTotal.")), ("totalPages", Type("integer", "-1 with skipTotal.")),
                ("items", new JsonObject { ["type"] = "array", ["items"] = item }),
            ],
            ["page", "perPage", "totalItems", "totalPages", "items"]);
        return list;
    }

    private static IEnumerable<JsonNode> RecordParameters() =>
    [
        QueryParameter("expand", Type("string"), "Relations to expand, comma separated, nested with dots (`author,comments_via_post.user`)."),
        QueryParameter("fields", Type("string"), "Keys to keep (`id,title,expand.author.name`, `*,body:excerpt(200)`)."),
    ];

    private static IEnumerable<JsonNode> ListParameters() =>
    [
        QueryParameter("page", new JsonObject { ["type"] = "integer", ["minimum"] = 1 }, "The page, from 1."),
        QueryParameter("perPage", new JsonObject { ["type"] = "integer", ["minimum"] = 1, ["maximum"] = 1000 }, "Records per page (default 30)."),
        QueryParameter("sort", Type("string"), "Comma separated keys, `-` for descending (`-created,title`), `@random`."),
        QueryParameter("filter", Type("string"), "A filter expression, ANDed with the list rule (`title ~ 'abc' && created > '2024-01-01'`)."),
        QueryParameter("skipTotal", Type("boolean"), "Skip the count; totalItems and totalPages are then -1."),
        .. RecordParameters(),
    ];

    private static bool AuthOpen(Collection collection) => collection.Options["authRule"] is not null;

    /// <summary>A components key for a collection: its name with anything outside <c>[A-Za-z0-9._-]</c> replaced.</summary>
    private static string SchemaKey(string name) =>
        new(name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' ? c : '_').ToArray());
}
