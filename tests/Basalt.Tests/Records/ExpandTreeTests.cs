using Basalt.Records;

namespace Basalt.Tests.Records;

public sealed class ExpandTreeTests
{
    [Fact]
    public void Paths_merge_into_a_tree()
    {
        var tree = ExpandTree.Parse("author, author.team ,comments_via_post.user")!;
        Assert.Equal(["author", "comments_via_post"], tree.Children.Keys.Order());
        Assert.True(tree.Children["author"].Children.ContainsKey("team"));
        Assert.True(tree.Children["comments_via_post"].Children.ContainsKey("user"));
    }

    [Fact]
    public void The_legacy_back_relation_syntax_is_accepted() =>
        Assert.True(ExpandTree.Parse("comments(post)")!.Children.ContainsKey("comments_via_post"));

    [Fact]
    public void Nesting_stops_at_six_levels()
    {
        var node = ExpandTree.Parse("a.b.c.d.e.f.g.h")!;
        var depth = 0;
        while (node.Children.Count > 0)
        {
            node = node.Children.Values.Single();
            depth++;
        }

        Assert.Equal(6, depth);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void Blank_means_no_expansion(string? value) => Assert.Null(ExpandTree.Parse(value));

    [Theory]
    [InlineData("author;DROP TABLE x")]
    [InlineData("a'b")]
    [InlineData("a\"b")]
    [InlineData("ä")]
    [InlineData("a-b.c")]
    [InlineData("a..b")]
    [InlineData(",.,")]
    public void Values_that_cannot_name_a_relation_are_ignored_not_refused(string value) => Assert.Null(ExpandTree.Parse(value));

    [Fact]
    public void Spaces_and_outer_dots_are_dropped_as_PocketBase_does()
    {
        var tree = ExpandTree.Parse(" au thor .team. , .comments_via_post")!;
        Assert.Equal(["author", "comments_via_post"], tree.Children.Keys.Order());
        Assert.True(tree.Children["author"].Children.ContainsKey("team"));
    }

    [Fact]
    public void Unusable_paths_are_skipped_and_the_others_kept()
    {
        var tree = ExpandTree.Parse("x'y,author.team,a-b,comments(post)")!;
        Assert.Equal(["author", "comments_via_post"], tree.Children.Keys.Order());
        Assert.True(tree.Children["author"].Children.ContainsKey("team"));
    }
}
