using System.Net;
using System.Text.Json.Nodes;
using Basalt.Migrations;
using Basalt.Tests.Fixtures;

namespace Basalt.Tests.Migrations;

/// <summary>Migrations that must not apply: refused whole, reported with the file and the reason, the database left as it was.</summary>
public abstract partial class MigrationTests
{
    [Fact]
    public async Task A_migration_the_database_refuses_changes_nothing_and_is_reported()
    {
        var folder = MigrationFolders.Create();
        try
        {
            var service = ServiceFor(folder);
            var (first, dupes, added) = (HttpJson.UniqueName("mig_first"), HttpJson.UniqueName("mig_dupes"), HttpJson.UniqueName("mig_added"));
            var dupesJson = await CreateAsync(fixture.Superuser, new { name = dupes, type = "base", fields = new object[] { new { name = "title", type = "text" } } });
            foreach (var _ in new[] { 1, 2 })
            {
                var (status, body) = await fixture.Superuser.PostJsonAsync($"/api/collections/{dupes}/records", new { title = "same" });
                Assert.True(status == HttpStatusCode.OK, body?.ToJsonString());
            }

            var before = await MigrationFolders.CollectionsAsync(fixture);
            MigrationFolders.Write(folder, "1700000001_first.json", MigrationFolders.Creating(Base(first)));

            // Valid on paper; the database refuses the unique index over two equal titles, after the unit created the other collection.
            var unique = (JsonObject)dupesJson.DeepClone();
            unique["indexes"] = new JsonArray($"CREATE UNIQUE INDEX idx_{dupes}_title ON {dupes} (title)");
            MigrationFolders.Write(folder, "1700000002_second.json", new JsonObject
            {
                ["format"] = 1,
                ["changes"] = new JsonArray(
                    new JsonObject { ["collection"] = Base(added)["id"]!.GetValue<string>(), ["before"] = null, ["after"] = Base(added) },
                    new JsonObject { ["collection"] = dupesJson["id"]!.GetValue<string>(), ["before"] = dupesJson.DeepClone(), ["after"] = unique }),
            }.ToJsonString());

            var e = await Assert.ThrowsAsync<MigrationException>(() => service.UpAsync(None));
            Assert.Contains("1700000002_second.json was not applied; nothing of it changed (1 earlier migration was applied)", e.Message, StringComparison.Ordinal);
            var after = await MigrationFolders.CollectionsAsync(fixture);
            Assert.Equal(before.Count + 1, after.Count);
            Assert.Contains(Base(first)["id"]!.GetValue<string>(), after.Keys);
            Assert.Equal(before[dupesJson["id"]!.GetValue<string>()], after[dupesJson["id"]!.GetValue<string>()]);
            Assert.Equal([MigrationStateKind.Applied, MigrationStateKind.Pending], (await service.StatusAsync(None)).Select(s => s.State));

            // Nothing of the refused unit is left behind: not its row in _collections, nor its table.
            await CreateAsync(fixture.Superuser, Base(added));
            var (gone, _) = await fixture.Superuser.DeleteJsonAsync($"/api/collections/{added}");
            Assert.Equal(HttpStatusCode.NoContent, gone);

            // An applied file edited afterwards is not reverted from its new text.
            var firstPath = Path.Combine(folder, "1700000001_first.json");
            var original = await File.ReadAllTextAsync(firstPath);
            await File.WriteAllTextAsync(firstPath, original.Replace("title", "headline", StringComparison.Ordinal));
            var changed = await Assert.ThrowsAsync<MigrationException>(() => service.DownAsync(1, None));
            Assert.Contains("has changed since it was applied", changed.Message, StringComparison.Ordinal);
            Assert.Equal(MigrationStateKind.Changed, (await service.StatusAsync(None))[0].State);

            await File.WriteAllTextAsync(firstPath, original);
            Assert.Equal(["1700000001_first.json"], await service.DownAsync(1, None));
            Assert.Equal(before, await MigrationFolders.CollectionsAsync(fixture));
        }
        finally
        {
            MigrationFolders.Delete(folder);
        }
    }

    public static TheoryData<string, string> Unreadable => new()
    {
        { "{\"format\": 1, \"changes\": [", "is not valid JSON" },
        { """{"format": 1, "changes": [{"collection": "x", "after": {}, "sql": "DROP TABLE _collections"}]}""", "unknown key" },
        { """{"format": 9, "changes": []}""", "newer Basalt" },
    };

    [Theory]
    [MemberData(nameof(Unreadable))]
    public async Task A_file_that_does_not_read_stops_the_run_before_anything_changes(string content, string expected)
    {
        var folder = MigrationFolders.Create();
        try
        {
            var service = ServiceFor(folder);
            var before = await MigrationFolders.CollectionsAsync(fixture);
            MigrationFolders.Write(folder, "1700000001_good.json", MigrationFolders.Creating(Base(HttpJson.UniqueName("mig_good"))));
            MigrationFolders.Write(folder, "1700000002_bad.json", content);

            foreach (var run in new Func<Task>[] { () => service.UpAsync(None), () => service.StatusAsync(None), () => service.DownAsync(1, None), () => service.CreateAsync("x", None) })
            {
                var e = await Assert.ThrowsAsync<MigrationException>(run);
                Assert.Contains("1700000002_bad.json", e.Message, StringComparison.Ordinal);
                Assert.Contains(expected, e.Message, StringComparison.Ordinal);
            }

            Assert.Equal(before, await MigrationFolders.CollectionsAsync(fixture));
        }
        finally
        {
            MigrationFolders.Delete(folder);
        }
    }

    [Fact]
    public async Task A_collection_with_an_unknown_field_type_is_refused_with_the_field_and_nothing_changes()
    {
        var folder = MigrationFolders.Create();
        try
        {
            var service = ServiceFor(folder);
            var before = await MigrationFolders.CollectionsAsync(fixture);
            var (ok, odd) = (Base(HttpJson.UniqueName("mig_ok")), Base(HttpJson.UniqueName("mig_odd")));
            odd["fields"]!.AsArray().Add(new JsonObject { ["name"] = "weird", ["type"] = "teleport" });
            MigrationFolders.Write(folder, "1700000001_odd.json", MigrationFolders.Creating(ok, odd));

            var e = await Assert.ThrowsAsync<MigrationException>(() => service.UpAsync(None));
            Assert.Contains("1700000001_odd.json was not applied; nothing of it changed.", e.Message, StringComparison.Ordinal);
            Assert.Contains(odd["name"]!.GetValue<string>(), e.Message, StringComparison.Ordinal);
            Assert.Contains("fields.1.type", e.Message, StringComparison.Ordinal);
            Assert.Equal(before, await MigrationFolders.CollectionsAsync(fixture));
            Assert.Equal(MigrationStateKind.Pending, Assert.Single(await service.StatusAsync(None)).State);
        }
        finally
        {
            MigrationFolders.Delete(folder);
        }
    }

    [Theory]
    [InlineData("../escaped")]
    [InlineData("/tmp/escaped")]
    [InlineData("a/../../b")]
    [InlineData("..")]
    public async Task Create_refuses_a_name_that_is_a_path_and_writes_nothing(string name)
    {
        var folder = MigrationFolders.Create();
        try
        {
            var e = await Assert.ThrowsAsync<MigrationException>(() => ServiceFor(folder).CreateAsync(name, None));
            Assert.Contains("letters, digits", e.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(Directory.EnumerateFileSystemEntries(Path.GetDirectoryName(folder)!, "*", SearchOption.AllDirectories), p => p != folder);
        }
        finally
        {
            MigrationFolders.Delete(folder);
        }
    }

    [Fact]
    public async Task A_server_asked_to_migrate_at_start_does_not_start_on_a_failing_migration()
    {
        var folder = MigrationFolders.Create();
        try
        {
            MigrationFolders.Write(folder, "1700000001_broken.json", "{\"format\": 1, \"changes\": [{\"collection\": \"x\"}]}");
            var e = await Assert.ThrowsAsync<MigrationException>(() => MigrationServer.StartAsync(Kind, folder, automigrate: false, migrateAtStart: true));
            Assert.Contains("1700000001_broken.json", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            MigrationFolders.Delete(folder);
        }
    }

    /// <summary>A base collection with a title field, under a fixed id made from its name (migration files name collections by id).</summary>
    private static JsonObject Base(string name) => new()
    {
        ["id"] = "m" + name.Replace("_", "", StringComparison.Ordinal),
        ["name"] = name,
        ["type"] = "base",
        ["fields"] = new JsonArray(new JsonObject { ["name"] = "title", ["type"] = "text" }),
    };
}
