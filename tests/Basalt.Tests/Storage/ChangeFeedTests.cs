using Basalt.Storage.Changes;

namespace Basalt.Tests.Storage;

/// <summary>
/// The settled head of the change log where transactions append at once (PostgreSQL): it never passes an id that an
/// open transaction may still commit, and a rolled-back append leaves a gap the head moves over.
/// </summary>
public sealed class ChangeFeedTests
{
    [Fact]
    public void The_head_stays_below_an_open_append_while_a_later_one_commits()
    {
        var feed = new ChangeFeed();
        feed.Advance(10);

        var first = feed.BeginAppend();
        feed.Allocated(11);
        var second = feed.BeginAppend();
        feed.Allocated(12);

        feed.EndAppend(second);
        Assert.Equal(10, feed.Head);

        feed.EndAppend(first);
        Assert.Equal(12, feed.Head);
    }

    [Fact]
    public void An_append_whose_ids_are_not_known_yet_holds_the_head_at_what_was_handed_out_before_it()
    {
        var feed = new ChangeFeed();
        feed.Advance(5);

        var slow = feed.BeginAppend();
        var fast = feed.BeginAppend();
        feed.Allocated(7);
        feed.EndAppend(fast);
        Assert.Equal(5, feed.Head);

        feed.Allocated(6);
        feed.EndAppend(slow);
        Assert.Equal(7, feed.Head);
    }

    [Fact]
    public void A_rolled_back_append_leaves_a_gap_the_head_moves_over()
    {
        var feed = new ChangeFeed();
        var rolledBack = feed.BeginAppend();
        feed.Allocated(1);
        var committed = feed.BeginAppend();
        feed.Allocated(2);

        feed.EndAppend(rolledBack);
        Assert.Equal(1, feed.Head);
        feed.EndAppend(committed);
        Assert.Equal(2, feed.Head);
    }

    [Fact]
    public void The_head_never_goes_back()
    {
        var feed = new ChangeFeed();
        feed.Pulse(20);
        var open = feed.BeginAppend();
        feed.Allocated(21);
        feed.Pulse(3);
        Assert.Equal(20, feed.Head);
        feed.EndAppend(open);
        Assert.Equal(21, feed.Head);
    }
}
