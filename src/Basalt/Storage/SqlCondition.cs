namespace Basalt.Storage;

/// <summary>
/// A WHERE condition (a rule, a client filter, or both) compiled once, with parameters of its own, so that the same
/// compilation serves every statement that needs it: a list's page and its count, or each chunk of an <c>IN</c> list.
/// Conditions are ANDed; an empty condition matches every row. The caller compiles; <see cref="Tables.RecordStore"/>
/// places it.
/// </summary>
public sealed class SqlCondition
{
    private readonly SqlBuilder _sql;

    public SqlCondition(ISqlDialect dialect)
        : this(dialect, "w")
    {
    }

    /// <summary>
    /// A condition whose parameters and aliases are named after <paramref name="prefix"/>, for a statement that places
    /// several conditions (each needs a prefix of its own that is not the start of another's, e.g. <c>g0x</c>, <c>g1x</c>).
    /// </summary>
    public SqlCondition(ISqlDialect dialect, string prefix)
    {
        _sql = new SqlBuilder(dialect, prefix);
    }

    /// <summary>True when nothing constrains the rows.</summary>
    public bool IsEmpty => _sql.Length == 0;

    /// <summary>ANDs the boolean expression <paramref name="write"/> appends (a compiled rule or filter).</summary>
    public SqlCondition And(Action<SqlBuilder> write)
    {
        _sql.Append(IsEmpty ? "(" : " AND (");
        write(_sql);
        _sql.Append(')');
        return this;
    }

    /// <summary>ANDs a condition no row meets (a rule that locks the action).</summary>
    public SqlCondition AndNone() => And(sql => sql.Append("1 = 0"));

    /// <summary>Appends the condition, which must not be empty, as a boolean expression of <paramref name="statement"/>.</summary>
    internal void AppendTo(SqlBuilder statement) => statement.AppendFragment(_sql);
}
