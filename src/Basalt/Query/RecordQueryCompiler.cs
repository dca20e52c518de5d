using Basalt.Storage;

namespace Basalt.Query;

/// <summary>Compiles filters, rules and sorts into parameterized SQL over a collection's table.</summary>
public sealed class RecordQueryCompiler
{
    /// <summary>Appends a boolean SQL expression for <paramref name="expression"/> that refers to the table only through <see cref="FilterContext.Alias"/>.</summary>
    public void AppendFilter(SqlBuilder sql, FilterContext context, string expression) =>
        throw new NotSupportedException("filter compiler not built yet");

    /// <summary>Appends the ORDER BY items (without the keyword) for a <c>sort</c> parameter.</summary>
    public void AppendSort(SqlBuilder sql, FilterContext context, string sort) =>
        throw new NotSupportedException("filter compiler not built yet");
}
