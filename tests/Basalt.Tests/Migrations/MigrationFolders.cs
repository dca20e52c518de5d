using System.Text.Json.Nodes;
using Basalt.Tests.Fixtures;

namespace Basalt.Tests.Migrations;

/// <summary>Helpers of the migration tests: throwaway folders, hand-written files, and collections compared without what differs per database.</summary>
internal static class MigrationFolders
{
    /// <summary>A new empty folder under the temp folder (never the shared <c>/tmp/basalt_migrations</c> beside the fixtures' data folders).</summary>
    public static string Create()
    {
        var folder = Path.Combine(Path.GetTempPath(), "basalt-migrations-" + Guid.NewGuid().ToString("N")[..10], "basalt_migrations");
        Directory.CreateDirectory(folder);
        return folder;
    }

    public static void Delete(string folder)
    {
        try
        {
            Directory.Delete(Path.GetDirectoryName(folder)!, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    public static void Write(string folder, string fileName, string content) =>
        File.WriteAllText(Path.Combine(folder, fileName), content);

    /// <summary>A migration file that creates each collection: <c>{format: 1, changes: [{collection, before: null, after}]}</c>.</summary>
    public static string Creating(params JsonObject[] collections) => new JsonObject
    {
        ["format"] = 1,
        ["changes"] = new JsonArray(collections.Select(c => (JsonNode)new JsonObject
        {
            ["collection"] = c["id"]!.GetValue<string>(),
            ["before"] = null,
            ["after"] = c,
        }).ToArray()),
    }.ToJsonString();

    /// <summary>The collections as <c>GET /api/collections</c> lists them, by id, without <c>created</c> and <c>updated</c> (they say when, on one database).</summary>
    public static async Task<SortedDictionary<string, string>> CollectionsAsync(BasaltServerFixture server)
    {
        var (_, body) = await server.Superuser.GetJsonAsync("/api/collections?perPage=500");
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var item in body!["items"]!.AsArray().OfType<JsonObject>())
        {
            item.Remove("created");
            item.Remove("updated");
            result[item["id"]!.GetValue<string>()] = item.ToJsonString();
        }

        return result;
    }
}
