using Basalt.Storage;

namespace Basalt.Query;

/// <summary>
/// The sources (related tables, JSON array items) one compiled expression reads from, each LEFT JOINed once per path
/// so that conditions on the same path see the same row, as PocketBase's shared joins do. They are emitted inside an
/// EXISTS subquery anchored on one dummy row, so the outer statement never needs a join.
/// </summary>
internal sealed class JoinScope
{
    private readonly Dictionary<string, string> _aliasByKey = new(StringComparer.Ordinal);
    private readonly List<(string Alias, Action<SqlBuilder> Source, Action<SqlBuilder>? On)> _joins = [];
    private readonly SqlBuilder _sql;

    public JoinScope(SqlBuilder sql)
    {
        _sql = sql;
    }

    public ISqlDialect Dialect => _sql.Dialect;

    public bool IsEmpty => _joins.Count == 0;

    /// <summary>Returns the alias joined for <paramref name="key"/>, adding the join on first use.</summary>
    public string GetOrAdd(string key, Func<string, (Action<SqlBuilder> Source, Action<SqlBuilder>? On)> create)
    {
        if (_aliasByKey.TryGetValue(key, out var existing))
        {
            return existing;
        }

        var alias = _sql.NewAlias("__j");
        var (source, on) = create(alias);
        _aliasByKey[key] = alias;
        _joins.Add((alias, source, on));
        return alias;
    }

    /// <summary>Writes <c>(SELECT 1) AS d LEFT JOIN ... ON ...</c>: the FROM of a subquery over this scope.</summary>
    public void AppendFrom(SqlBuilder sql)
    {
        sql.Append("(SELECT 1) AS ").AppendIdentifier(sql.NewAlias("__d"));
        foreach (var (_, source, on) in _joins)
        {
            sql.Append(" LEFT JOIN ");
            source(sql);
            sql.Append(" ON ");
            if (on is null)
            {
                sql.Append("1=1");
            }
            else
            {
                on(sql);
            }
        }
    }
}
