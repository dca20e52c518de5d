using System.Text.Json.Nodes;
using static Basalt.OpenApi.OpenApiJson;

namespace Basalt.OpenApi;

/// <summary>The routes that do not depend on the collections: health, collections, settings, files, realtime, batch, logs, backups, crons.</summary>
internal sealed partial class OpenApiBuilder
{
    private enum Access
    {
        Anyone,
        SignedIn,
        Superuser,
    }

    private void AddFixedRoutes()
    {
        Fixed("get", "/api/health", "health.check", "health", "Check the server", Access.Anyone,
            "200 while the server runs; superusers also get `canBackup`, `realIP` and `possibleProxyHeader` in `data`.", Ok("The health answer.", Ref("AnyObject")));

        Fixed("get", "/api/files/{collection}/{recordId}/{filename}", "files.download", "files", "Download a file", Access.Anyone,
            "`?thumb=WxH` for a thumb listed on the field (images only), `?download=1` to save it, `?token=` for protected files. Ranges and validators are honoured.",
            new JsonObject
            {
                ["200"] = new JsonObject { ["description"] = "The file.", ["content"] = new JsonObject { ["application/octet-stream"] = new JsonObject { ["schema"] = new JsonObject { ["type"] = "string", ["format"] = "binary" } } } },
                ["404"] = ResponseRef("NotFound"),
            },
            query:
            [
                QueryParameter("thumb", Type("string"), "A thumb size such as `100x100`, `0x300`, `200x200f`."),
                QueryParameter("download", Type("boolean"), "Serve as an attachment."),
                QueryParameter("token", Type("string"), "A file token, for protected files."),
            ]);
        Fixed("post", "/api/files/token", "files.token", "files", "Get a file token", Access.SignedIn,
            "A short-lived token that lets the signed-in record download protected files.", Ok("The token.", Object([("token", Type("string"))], ["token"])));

        Fixed("get", "/api/realtime", "realtime.connect", "realtime", "Open the realtime stream", Access.Anyone,
            "Server-Sent Events. The first frame is `PB_CONNECT` with the `clientId`; then one frame per event, named after the subscription. " +
            "`Last-Event-ID` (or `?lastEventId=`) resumes after a record event's id where the server keeps a change log.",
            new JsonObject { ["200"] = new JsonObject { ["description"] = "The event stream.", ["content"] = new JsonObject { ["text/event-stream"] = new JsonObject { ["schema"] = Type("string") } } } });
        Fixed("post", "/api/realtime", "realtime.subscribe", "realtime", "Set the subscriptions", Access.Anyone,
            "Replaces the client's topics (`posts/*`, `posts/RECORD_ID`, each with optional `?options=` JSON of query and headers). The request's auth is bound to the client.",
            new JsonObject { ["204"] = ResponseRef("NoContent"), ["400"] = ResponseRef("BadRequest"), ["403"] = ResponseRef("Forbidden"), ["404"] = ResponseRef("NotFound") },
            body: Body(Object([("clientId", Type("string")), ("subscriptions", new JsonObject { ["type"] = "array", ["items"] = Type("string") })], ["clientId"])),
            optionalAuth: true);

        Fixed("post", "/api/batch", "batch.send", "batch", "Run record writes in one transaction", Access.Anyone,
            "Creates, updates, upserts (PUT) and deletes of records, each under its own rules, all or nothing. Needs `batch.enabled` in the settings. " +
            "Multipart bodies carry the JSON in `@jsonPayload` and files as `requests.N.field`.",
            new JsonObject
            {
                ["200"] = Response("One answer per request.", new JsonObject { ["type"] = "array", ["items"] = Object([("status", Type("integer")), ("body", new JsonObject())]) }),
                ["400"] = ResponseRef("BadRequest"),
                ["403"] = ResponseRef("Forbidden"),
            },
            body: Body(Object([("requests", new JsonObject
            {
                ["type"] = "array",
                ["items"] = Object([("method", Type("string")), ("url", Type("string")), ("headers", Type("object")), ("body", Type("object"))], ["method", "url"]),
            })], ["requests"])),
            optionalAuth: true);

        AddInstallRoutes();
        if (!_full)
        {
            return;
        }

        AddAdminRoutes();
        AddDashboardRoutes();
    }

    private void AddAdminRoutes()
    {
        static JsonObject Any() => Ref("AnyObject");
        Fixed("get", "/api/collections", "collections.list", "collections", "List collections", Access.Superuser, "Filter over `id, name, type, system, created, updated`.",
            Ok("A page of collections.", Ref("ListResult")), query: [QueryParameter("page", Type("integer"), "Page."), QueryParameter("perPage", Type("integer"), "Per page."), QueryParameter("filter", Type("string"), "Filter."), QueryParameter("sort", Type("string"), "Sort.")]);
        Fixed("post", "/api/collections", "collections.create", "collections", "Create a collection", Access.Superuser, "A base, auth or view collection.", Ok("The collection.", Any()), body: Body(Any()));
        Fixed("get", "/api/collections/{collection}", "collections.view", "collections", "View a collection", Access.Superuser, "By id or name.", Ok("The collection.", Any()));
        Fixed("patch", "/api/collections/{collection}", "collections.update", "collections", "Update a collection", Access.Superuser,
            "`fields` replaces the whole list; send each field's id to keep its column.", Ok("The collection.", Any()), body: Body(Any()));
        Fixed("delete", "/api/collections/{collection}", "collections.delete", "collections", "Delete a collection", Access.Superuser, "Not a system collection, nor one another refers to.", NoContent());
        Fixed("delete", "/api/collections/{collection}/truncate", "collections.truncate", "collections", "Delete every record", Access.Superuser, "With the cascades of each delete.", NoContent());
        Fixed("put", "/api/collections/import", "collections.import", "collections", "Import collections", Access.Superuser,
            "`{collections: [...], deleteMissing}` in one transaction.", NoContent(), body: Body(Any()));
        Fixed("get", "/api/collections/meta/scaffolds", "collections.scaffolds", "collections", "The default collection of each type", Access.Superuser, "", Ok("The scaffolds.", Any()));

        Fixed("get", "/api/settings", "settings.get", "settings", "Read the settings", Access.Superuser, "Secrets are blanked.", Ok("The settings.", Any()));
        Fixed("patch", "/api/settings", "settings.update", "settings", "Change the settings", Access.Superuser, "Merges the sections sent.", Ok("The settings.", Any()), body: Body(Any()));
        Fixed("post", "/api/settings/test/s3", "settings.testS3", "settings", "Test the S3 settings", Access.Superuser, "`{filesystem: \"storage\" | \"backups\"}`.", NoContent(), body: Body(Any()));
        Fixed("post", "/api/settings/test/email", "settings.testEmail", "settings", "Send a test mail", Access.Superuser, "`{email, template, collection?}`.", NoContent(), body: Body(Any()));

        Fixed("get", "/api/logs", "logs.list", "logs", "List request logs", Access.Superuser, "Filter over `id, created, level, message, data.*`.", Ok("A page of logs.", Ref("ListResult")),
            query: [QueryParameter("page", Type("integer"), "Page."), QueryParameter("perPage", Type("integer"), "Per page."), QueryParameter("filter", Type("string"), "Filter."), QueryParameter("sort", Type("string"), "Sort.")]);
        Fixed("get", "/api/logs/stats", "logs.stats", "logs", "Requests per hour", Access.Superuser, "", Ok("Hourly counts.", new JsonObject { ["type"] = "array", ["items"] = Object([("date", Type("string")), ("total", Type("integer"))]) }),
            query: [QueryParameter("filter", Type("string"), "Filter.")]);
        Fixed("get", "/api/logs/{id}", "logs.view", "logs", "View a log entry", Access.Superuser, "", Ok("The entry.", Any()));
        Fixed("delete", "/api/logs", "logs.deleteAll", "logs", "Delete every log entry", Access.Superuser, "", NoContent());

        Fixed("get", "/api/backups", "backups.list", "backups", "List backups", Access.Superuser, "",
            Ok("The backups.", new JsonObject { ["type"] = "array", ["items"] = Object([("key", Type("string")), ("size", Type("integer")), ("modified", Type("string"))]) }));
        Fixed("post", "/api/backups", "backups.create", "backups", "Make a backup", Access.Superuser, "`{name?}` matching `^[a-z0-9_-]+\\.zip$`.", NoContent(), body: Body(Any(), required: false));
        Fixed("post", "/api/backups/upload", "backups.upload", "backups", "Upload a backup", Access.Superuser, "Multipart with one `file` (a zip).", NoContent());
        Fixed("get", "/api/backups/{key}", "backups.download", "backups", "Download a backup", Access.Anyone, "Needs `?token=` with a superuser's file token.",
            new JsonObject { ["200"] = new JsonObject { ["description"] = "The zip." }, ["403"] = ResponseRef("Forbidden"), ["404"] = ResponseRef("NotFound") },
            query: [QueryParameter("token", Type("string"), "A superuser's file token.")]);
        Fixed("delete", "/api/backups/{key}", "backups.delete", "backups", "Delete a backup", Access.Superuser, "", NoContent());
        Fixed("post", "/api/backups/{key}/restore", "backups.restore", "backups", "Restore a backup", Access.Superuser, "Answers once the data is replaced, in the running server.", NoContent());

        Fixed("get", "/api/crons", "crons.list", "crons", "List scheduled jobs", Access.Superuser, "",
            Ok("The jobs.", new JsonObject { ["type"] = "array", ["items"] = Object([("id", Type("string")), ("expression", Type("string"))]) }));
        Fixed("post", "/api/crons/{id}", "crons.run", "crons", "Run a job now", Access.Superuser, "In the background.", NoContent());
    }

    private void Fixed(
        string method, string path, string id, string tag, string summary, Access access, string description, JsonObject responses,
        IEnumerable<JsonNode>? query = null, JsonObject? body = null, bool optionalAuth = false)
    {
        if (!_tags.Any(t => t?["name"]?.GetValue<string>() == tag))
        {
            AddTag(tag, tag switch
            {
                "health" => "Whether the server is up.",
                "files" => "File downloads and tokens.",
                "realtime" => "Server-Sent Events of record changes.",
                "batch" => "Several record writes in one transaction.",
                "superusers" => "The first superuser, from the link `basalt serve` prints.",
                _ => "Superusers only.",
            });
        }

        if (access != Access.Anyone)
        {
            responses["401"] ??= ResponseRef("Unauthorized");
        }

        if (access == Access.Superuser)
        {
            responses["403"] ??= ResponseRef("Forbidden");
            description = ("**Superusers only.** " + description).Trim();
        }

        AddOperation(path, method, Operation(path, id, tag, summary, description, responses, access != Access.Anyone || optionalAuth, optionalAuth, query, body));
    }

    private static JsonObject Ok(string description, JsonObject schema) =>
        new() { ["200"] = Response(description, schema), ["400"] = ResponseRef("BadRequest") };

    private static JsonObject NoContent() =>
        new() { ["204"] = ResponseRef("NoContent"), ["400"] = ResponseRef("BadRequest") };
}
