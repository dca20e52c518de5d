using Basalt.Storage;

namespace Basalt.Query;

/// <summary>
/// The sources (related tables, JSON array items) one compiled expression reads from, each LEFT JOINed once per path
/// so that conditions on the same path see the same row, as PocketBase's shared joins do. They are emitted inside
/// EXISTS subqueries anchored on one dummy row, so the outer statement never needs a join. While a comparison is
/// resolved, the scope records which paths it used (<see cref="Track"/>), so the compiler can give comparisons that
/// share no path separate subqueries.
/// </summary>
internal sealed class JoinScope
{
    private readonly Dictionary<string, string> _aliasByKey = new(StringComparer.Ordinal);
    private readonly List<(string Key, Action<SqlBuilder> Source, Action<SqlBuilder>? On)> _joins = [];
    private readonly SqlBuilder _sql;
    private HashSet<string>? _used;

    public JoinScope(SqlBuilder sql)
    {
        _sql = sql;
    }

    public ISqlDialect Dialect => _sql.Dialect;

    public bool IsEmpty => _joins.Count == 0;

    /// <summary>Returns the alias joined for <paramref name="key"/>, adding the join on first use.</summary>
    public string GetOrAdd(string key, Func<string, (Action<SqlBuilder> Source, Action<SqlBuilder>? On)> create)
    {
        _used?.Add(key);
        if (_aliasByKey.TryGetValue(key, out var existing))
        {
            return existing;
        }

        var alias = _sql.NewAlias("__j");
        var (source, on) = create(alias);
        _aliasByKey[key] = alias;
        _joins.Add((key, source, on));
        return alias;
    }

    /// <summary>Records into <paramref name="used"/> every path looked up until the next call (null stops recording).</summary>
    public void Track(HashSet<string>? used) => _used = used;

    /// <summary>Writes <c>(SELECT 1) AS d LEFT JOIN ... ON ...</c>: the FROM of a subquery over every join of this scope.</summary>
    public void AppendFrom(SqlBuilder sql) => AppendFrom(sql, null);

    /// <summary>
    /// Writes the FROM of a subquery over the joins in <paramref name="keys"/> (all when null), in the order they were
    /// added, so a join always follows the one its ON clause reads; joins outside <paramref name="keys"/> must already be
    /// in scope in an enclosing subquery.
    /// </summary>
    public void AppendFrom(SqlBuilder sql, IReadOnlySet<string>? keys)
    {
        sql.Append("(SELECT 1) AS ").AppendIdentifier(sql.NewAlias("__d"));
        foreach (var (key, source, on) in _joins)
        {
            if (keys is not null && !keys.Contains(key))
            {
                continue;
            }

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
