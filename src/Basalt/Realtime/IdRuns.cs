namespace Basalt.Realtime;

/// <summary>Change-log ids as sorted, disjoint runs of consecutive ids.</summary>
public sealed class IdRuns
{
    /// <summary>No id.</summary>
    public static readonly IdRuns None = new([]);

    private readonly long[] _firsts;
    private readonly long[] _lasts;

    /// <summary>The runs, each as its first and last id, sorted and not overlapping.</summary>
    public IdRuns(IReadOnlyList<(long First, long Last)> runs)
    {
        _firsts = [.. runs.Select(r => r.First)];
        _lasts = [.. runs.Select(r => r.Last)];
    }

    /// <summary>How many runs there are.</summary>
    public int Count => _firsts.Length;

    /// <summary>Whether <paramref name="id"/> lies in one of the runs.</summary>
    public bool Contains(long id)
    {
        if (_lasts.Length == 0 || id > _lasts[^1])
        {
            return false;
        }

        var i = Array.BinarySearch(_firsts, id);
        if (i >= 0)
        {
            return true;
        }

        i = ~i - 1;
        return i >= 0 && id <= _lasts[i];
    }

    /// <summary>The first id after <paramref name="id"/> that is not in a run.</summary>
    public long NextOutside(long id)
    {
        var next = id + 1;
        var i = Array.BinarySearch(_firsts, next);
        if (i < 0)
        {
            i = ~i - 1;
        }

        return i >= 0 && next <= _lasts[i] ? _lasts[i] + 1 : next;
    }
}
