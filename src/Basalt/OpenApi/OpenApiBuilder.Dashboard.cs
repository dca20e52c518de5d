using System.Text.Json.Nodes;
using static Basalt.OpenApi.OpenApiJson;

namespace Basalt.OpenApi;

/// <summary>The routes the dashboard adds: first-run install, the SQL console, records import/export, and the rule editor's checks.</summary>
internal sealed partial class OpenApiBuilder
{
    private void AddInstallRoutes()
    {
        Fixed("get", "/api/superusers/install", "superusers.installLink", "superusers", "Check an install link", Access.Anyone,
            "204 while the one-time link `basalt serve` printed (no superuser yet) is still usable; 404 once it expired or was used.",
            new JsonObject { ["204"] = ResponseRef("NoContent"), ["404"] = ResponseRef("NotFound") },
            query: [QueryParameter("token", Type("string"), "The link's token.")]);
        Fixed("post", "/api/superusers/install", "superusers.install", "superusers", "Create the first superuser", Access.Anyone,
            "With the one-time link's token; answers as a superuser's auth-with-password. 401 for a wrong, expired or used token, 403 once a superuser exists.",
            new JsonObject
            {
                ["200"] = Response("The new superuser, signed in.", Object([("token", Type("string")), ("record", Ref("AnyObject"))], ["token", "record"])),
                ["400"] = ResponseRef("BadRequest"),
                ["401"] = ResponseRef("Unauthorized"),
                ["403"] = ResponseRef("Forbidden"),
            },
            body: Body(Object([("token", Type("string")), ("email", Type("string")), ("password", Type("string")), ("passwordConfirm", Type("string"))], ["token", "email", "password", "passwordConfirm"])));
    }

    private void AddDashboardRoutes()
    {
        static JsonObject Strings() => new() { ["type"] = "array", ["items"] = Type("string") };
        Fixed("post", "/api/sql", "sql.query", "sql", "Run a read-only SQL statement", Access.Superuser,
            "One statement, read-only, under a statement timeout; at most `maxRows` rows (1–10000, default 1000). A database error, a write or a timeout is a 400 with `data.query`.",
            Ok("The rows.", Object(
                [("columns", Strings()), ("rows", new JsonObject { ["type"] = "array", ["items"] = new JsonObject { ["type"] = "array" } }), ("truncated", Type("boolean")), ("durationMs", Type("number"))],
                ["columns", "rows", "truncated", "durationMs"])),
            body: Body(Object([("query", Type("string")), ("maxRows", Type("integer"))], ["query"])));

        Fixed("get", "/api/collections/{collection}/export", "collections.exportRecords", "collections", "Export the records", Access.Superuser,
            "Every record (passing `filter`) as the records API shows it to a superuser: a JSON array, or CSV with a header row of field names and JSON text in json, multiple and file cells.",
            new JsonObject
            {
                ["200"] = new JsonObject
                {
                    ["description"] = "The records.",
                    ["content"] = new JsonObject { ["application/json"] = new JsonObject { ["schema"] = new JsonObject { ["type"] = "array", ["items"] = Ref("AnyObject") } }, ["text/csv"] = new JsonObject { ["schema"] = Type("string") } },
                },
                ["400"] = ResponseRef("BadRequest"),
                ["404"] = ResponseRef("NotFound"),
            },
            query: [QueryParameter("format", Type("string"), "`json` (default) or `csv`."), QueryParameter("filter", Type("string"), "Filter.")]);
        Fixed("post", "/api/collections/{collection}/import", "collections.importRecords", "collections", "Import records", Access.Superuser,
            "The file as the raw body or a multipart `file`; every row is created as by the records API, all in one transaction. " +
            "If any row is rejected nothing is written and the 400's `data.rows` lists `{row, message, errors}` (rows count from 1).",
            Ok("How many records were created.", Object([("imported", Type("integer"))], ["imported"])),
            query: [QueryParameter("format", Type("string"), "`json` or `csv`; by default from the file name, else JSON.")]);

        Fixed("post", "/api/collections/meta/check", "collections.checkExpression", "collections", "Check a rule or filter", Access.Superuser,
            "`collection` is an id, a name or a whole (unsaved) collection; `kind` is `rule` or `filter`. Always 200 for a checked expression.",
            Ok("Whether it compiles.", Object([("valid", Type("boolean")), ("message", Type("string")), ("position", Type("integer"))], ["valid"])),
            body: Body(Object([("collection", new JsonObject()), ("kind", Type("string")), ("expression", Type("string"))], ["collection", "kind"])));
        Fixed("get", "/api/collections/meta/fields", "collections.expressionNames", "collections", "Names for an expression", Access.Superuser,
            "For autocomplete: `fields`, `relations` (one level), `request` (`@request.*`), `collections` (`@collection.*`), `macros`, `modifiers`, `functions`.",
            Ok("The names, grouped.", Ref("AnyObject")),
            query: [QueryParameter("collection", Type("string"), "The collection's id or name.")]);
    }
}
