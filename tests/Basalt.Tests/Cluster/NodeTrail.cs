namespace Basalt.Tests.Cluster;

/// <summary>
/// Which node ran each step of a flow sent through nginx. nginx hands requests to three nodes in turn, so with the
/// answering node's id asked before and after every step (one question between two steps), the step ran on the one
/// node that answered neither question.
/// </summary>
internal sealed class NodeTrail
{
    private readonly Func<Task<string>> _whichNode;
    private readonly HashSet<string> _nodes = [];
    private readonly List<(string Step, string Before, string After)> _steps = [];
    private string _last;

    private NodeTrail(Func<Task<string>> whichNode, string first)
    {
        _whichNode = whichNode;
        _last = first;
    }

    /// <summary>Starts a trail; <paramref name="whichNode"/> asks nginx which node answers (one request).</summary>
    public static async Task<NodeTrail> StartAsync(Func<Task<string>> whichNode)
    {
        var trail = new NodeTrail(whichNode, await whichNode());
        trail._nodes.Add(trail._last);
        return trail;
    }

    /// <summary>Runs <paramref name="step"/> (one request through nginx), then asks which node answers next.</summary>
    public async Task StepAsync(string name, Func<Task> step)
    {
        await step();
        var after = await _whichNode();
        _nodes.Add(after);
        _steps.Add((name, _last, after));
        _last = after;
    }

    /// <summary>The node that ran <paramref name="step"/>.</summary>
    public string NodeOf(string step)
    {
        var (_, before, after) = _steps.Single(s => s.Step == step);
        Assert.Equal(3, _nodes.Count);
        Assert.NotEqual(before, after);
        return _nodes.Single(n => n != before && n != after);
    }

    public void AssertEachStepOnAnotherNodeThanTheLast()
    {
        var nodes = _steps.Select(s => NodeOf(s.Step)).ToList();
        Assert.All(nodes.Zip(nodes.Skip(1)), pair => Assert.NotEqual(pair.First, pair.Second));
    }
}
