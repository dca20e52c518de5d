using Basalt.Errors;
using Basalt.Storage.Postgres;
using Basalt.Storage.Schema;
using Basalt.Storage.Sqlite;

namespace Basalt.Tests.Storage.Schema;

/// <summary>PocketBase index strings parsed into a model and emitted per dialect; no database needed.</summary>
public sealed class IndexDefinitionTests
{
    [Theory]
    [InlineData(
        "CREATE INDEX `idx_a` ON `posts` (`created`)",
        "CREATE INDEX \"idx_a\" ON \"t\" (\"created\")",
        "CREATE INDEX \"idx_a\" ON \"t\" (\"created\")")]
    [InlineData(
        "CREATE UNIQUE INDEX `idx_email` ON `users` (`email` COLLATE NOCASE) WHERE `email` != ''",
        "CREATE UNIQUE INDEX \"idx_email\" ON \"t\" (\"email\" COLLATE NOCASE) WHERE \"email\" != ''",
        "CREATE UNIQUE INDEX \"idx_email\" ON \"t\" (lower(\"email\")) WHERE \"email\" != ''")]
    [InlineData(
        "create unique index if not exists idx_b on posts (title collate nocase asc, \"created\" DESC, [views]);",
        "CREATE UNIQUE INDEX \"idx_b\" ON \"t\" (\"title\" COLLATE NOCASE, \"created\" DESC, \"views\")",
        "CREATE UNIQUE INDEX \"idx_b\" ON \"t\" (lower(\"title\"), \"created\" DESC, \"views\")")]
    [InlineData(
        "CREATE INDEX `idx_c`\n  ON `posts` (`a`,`b`)\n  WHERE (`a` > 1 AND `b` = 'x')",
        "CREATE INDEX \"idx_c\" ON \"t\" (\"a\", \"b\") WHERE (\"a\" > 1 AND \"b\" = 'x')",
        "CREATE INDEX \"idx_c\" ON \"t\" (\"a\", \"b\") WHERE (\"a\" > 1 AND \"b\" = 'x')")]
    public void Parses_and_emits_per_dialect_on_the_collection_table(string text, string sqlite, string postgres)
    {
        Assert.True(IndexDefinition.TryParse(text, out var index));

        Assert.Equal(sqlite, index.ToSql(new SqliteDialect(), "t"));
        Assert.Equal(postgres, index.ToSql(new PostgresDialect(), "t"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("DROP TABLE users")]
    [InlineData("CREATE INDEX `a` ON `posts`")]
    [InlineData("CREATE INDEX `a` ON `posts` ()")]
    [InlineData("CREATE INDEX `a` ON `posts` (lower(`title`))")]
    [InlineData("CREATE INDEX `a` ON `posts` (`title` COLLATE RTRIM)")]
    [InlineData("CREATE INDEX `a` ON `posts` (`title`) WHERE 1; DROP TABLE users")]
    [InlineData("CREATE INDEX `a` ON `posts` (`title`); DROP TABLE users")]
    [InlineData("CREATE INDEX `a-b` ON `posts` (`title`)")]
    public void Rejects_what_it_cannot_emit_safely_on_every_database(string text)
    {
        Assert.False(IndexDefinition.TryParse(text, out _));
    }

    [Fact]
    public void Validation_names_each_bad_index_by_position_and_duplicate_names()
    {
        var errors = IndexDefinition.Validate(["CREATE INDEX `a` ON `p` (`x`)", "nonsense", "CREATE INDEX `A` ON `p` (`y`)"]);

        Assert.NotNull(errors);
        Assert.Null(errors["0"]);
        Assert.Equal(IndexDefinition.InvalidCode, errors["1"]!["code"]!.GetValue<string>());
        Assert.Equal("validation_duplicated_index_name", errors["2"]!["code"]!.GetValue<string>());
        Assert.Null(IndexDefinition.Validate(["CREATE INDEX `a` ON `p` (`x`)"]));

        var error = Assert.Throws<ApiError>(() => IndexDefinition.ParseAll(["nonsense"]));
        Assert.Equal(400, error.Status);
        Assert.NotNull(error.Data["indexes"]?["0"]);
    }

    [Fact]
    public void Round_trips_to_PocketBase_text_on_a_renamed_table()
    {
        Assert.True(IndexDefinition.TryParse("CREATE UNIQUE INDEX `idx` ON `old` (`email` COLLATE NOCASE, `n` DESC) WHERE `email` != ''", out var index));

        Assert.Equal("CREATE UNIQUE INDEX `idx` ON `new` (`email` COLLATE NOCASE, `n` DESC) WHERE `email` != ''", index.ToPocketBaseString("new"));
        Assert.Equal("old", index.Table);
    }
}
