namespace Basalt.Storage;

/// <summary>
/// The ORDER BY items of a list, compiled once with parameters of its own: a client's compiled <c>sort</c>, then the
/// columns that make the order total. An empty order leaves the database's order.
/// </summary>
public sealed class SqlOrder
{
    private readonly SqlBuilder _sql;
    private readonly string _alias;

    /// <param name="alias">The alias of the table the items read (<see cref="Tables.RecordStore.Alias"/>).</param>
    public SqlOrder(ISqlDialect dialect, string alias = Tables.RecordStore.Alias)
    {
        _sql = new SqlBuilder(dialect, "o");
        _alias = alias;
    }

    public bool IsEmpty => _sql.Length == 0;

    /// <summary>Adds the items <paramref name="write"/> appends (a compiled sort), which may be none.</summary>
    public SqlOrder Then(Action<SqlBuilder> write)
    {
        var before = _sql.Length;
        if (!IsEmpty)
        {
            _sql.Append(", ");
        }

        var start = _sql.Length;
        write(_sql);
        if (_sql.Length == start)
        {
            _sql.Truncate(before);
        }

        return this;
    }

    /// <summary>Adds a column of the table, ascending unless <paramref name="descending"/>.</summary>
    public SqlOrder ThenBy(string column, bool descending = false) =>
        Then(sql => sql.AppendColumn(_alias, column).Append(descending ? " DESC" : ""));

    /// <summary>Appends the items, which must not be empty, after <c>ORDER BY</c> in <paramref name="statement"/>.</summary>
    internal void AppendTo(SqlBuilder statement) => statement.AppendFragment(_sql);
}
