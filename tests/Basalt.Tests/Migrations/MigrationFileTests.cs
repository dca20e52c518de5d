using System.Text;
using Basalt.Migrations;

namespace Basalt.Tests.Migrations;

/// <summary>Reading migration files and names, with no database: everything that does not read is refused with the file and the reason.</summary>
public sealed class MigrationFileTests
{
    public static TheoryData<string, string> Hostile => new()
    {
        { "{not json", "is not valid JSON" },
        { "[]", "must be a JSON object" },
        { """{"changes": []}""", "needs \"format\": 1" },
        { """{"format": 2, "changes": []}""", "written by a newer Basalt" },
        { """{"format": "1", "changes": []}""", "needs \"format\": 1" },
        { """{"format": 1}""", "needs \"changes\"" },
        { """{"format": 1, "changes": {}}""", "needs \"changes\"" },
        { """{"format": 1, "changes": [], "up": []}""", "unknown key \"up\"" },
        { """{"format": 1, "changes": [7]}""", "changes[0] must be an object" },
        { """{"format": 1, "changes": [{"before": null, "after": {}}]}""", "changes[0].collection must be the collection's id" },
        { """{"format": 1, "changes": [{"collection": "", "after": {}}]}""", "changes[0].collection must be the collection's id" },
        { """{"format": 1, "changes": [{"collection": "a", "before": null, "after": null}]}""", "needs a \"before\" or an \"after\"" },
        { """{"format": 1, "changes": [{"collection": "a", "after": []}]}""", "changes[0].after must be a collection object or null" },
        { """{"format": 1, "changes": [{"collection": "a", "after": {"id": "b"}}]}""", "changes[0].after.id must be the change's collection id" },
        { """{"format": 1, "changes": [{"collection": "a", "after": {}, "sql": "DROP"}]}""", "unknown key \"changes[0].sql\"" },
        { """{"format": 1, "changes": [{"collection": "a", "after": {}}, {"collection": "a", "before": {}}]}""", "more than once" },
        { """{"format": 1, "comment": 5, "changes": []}""", "\"comment\" must be a string" },
        { new string('[', 100) + new string(']', 100), "is not valid JSON" },
    };

    [Theory]
    [MemberData(nameof(Hostile))]
    public void A_file_that_does_not_read_is_refused_with_its_name_and_why(string content, string expected)
    {
        var e = Assert.Throws<MigrationException>(() => MigrationFile.Parse("1700000000_bad.json", Encoding.UTF8.GetBytes(content)));
        Assert.Contains("1700000000_bad.json", e.Message, StringComparison.Ordinal);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_written_file_reads_back_with_its_changes_and_checksum()
    {
        var after = new System.Text.Json.Nodes.JsonObject
        {
            ["id"] = "pbc_1",
            ["name"] = "posts",
            ["type"] = "base",
            ["indexes"] = new System.Text.Json.Nodes.JsonArray("CREATE INDEX `idx_title` ON `posts` (`title`) WHERE title <> 'ü+'"),
        };
        var bytes = MigrationFile.Write("2026-01-01 00:00:00.000Z", [new Basalt.Collections.CollectionChange("pbc_1", null, after)]);

        // Written for people reading a diff: no \u escapes of backticks, "+", "<" or letters.
        Assert.Contains("CREATE INDEX `idx_title` ON `posts` (`title`) WHERE title <> 'ü+'", Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);
        var file = MigrationFile.Parse("1700000000_x.json", bytes);
        Assert.Equal("pbc_1", Assert.Single(file.Changes).CollectionId);
        Assert.Null(file.Changes[0].Before);
        Assert.Equal("posts", file.Changes[0].Name);
        Assert.Equal(64, file.Checksum.Length);
        Assert.Equal("2026-01-01 00:00:00.000Z", file.Created);
    }

    public static TheoryData<string> HostileNames => new()
    {
        "", "../evil", "..", "a/b", "/etc/passwd", "a\\b", "a b", "x\n", "tab\there", "nul\0x", "ünïcode", "a.json", new string('a', 101),
    };

    [Theory]
    [MemberData(nameof(HostileNames))]
    public void A_migration_name_with_anything_but_letters_digits_underscore_and_dash_is_refused(string name)
    {
        var e = Assert.Throws<MigrationException>(() => MigrationFolder.CheckName(name));
        Assert.Contains("letters, digits", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
        Assert.DoesNotContain('\0', e.Message);
    }

    [Fact]
    public async Task Names_are_timestamped_in_order_even_within_one_second_and_misnamed_json_is_refused()
    {
        var folder = MigrationFolders.Create();
        try
        {
            var migrations = new MigrationFolder(folder);
            var now = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);
            var first = migrations.NextFileName("add_posts", now);
            Assert.Equal("1800000000_add_posts.json", first);
            migrations.Write(first, MigrationFile.Write("", []));
            Assert.Equal("1800000001_add-tags.json", migrations.NextFileName("add-tags", now));
            MigrationFolders.Write(folder, "README.md", "notes are fine here");
            Assert.Single(await migrations.ReadAllAsync(CancellationToken.None));

            MigrationFolders.Write(folder, "notes.json", "{}");
            var e = await Assert.ThrowsAsync<MigrationException>(() => migrations.ReadAllAsync(CancellationToken.None));
            Assert.Contains("notes.json", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            MigrationFolders.Delete(folder);
        }
    }
}
