namespace Basalt.Storage;

/// <summary>Expression-level SQL that differs between databases, used by the filter compiler and record queries.</summary>
public partial interface ISqlDialect
{
    /// <summary>The ORDER BY expression for <c>@random</c>.</summary>
    string RandomOrder { get; }

    /// <summary>Appends <c>LIMIT n OFFSET m</c> (or the database's form of it).</summary>
    void AppendPaging(SqlBuilder sql, int limit, int offset);
}
