using System.Data.Common;
using System.Globalization;
using System.Text;

namespace Basalt.Storage;

/// <summary>
/// Accumulates SQL text and its parameters. User values only ever enter through <see cref="AppendParameter"/>,
/// so no user text reaches the SQL string.
/// </summary>
public sealed class SqlBuilder
{
    private readonly StringBuilder _sql = new();
    private readonly List<KeyValuePair<string, object?>> _parameters = [];

    public SqlBuilder(ISqlDialect dialect)
    {
        Dialect = dialect;
    }

    public ISqlDialect Dialect { get; }

    public IReadOnlyList<KeyValuePair<string, object?>> Parameters => _parameters;

    public int Length => _sql.Length;

    public SqlBuilder Append(string sql)
    {
        _sql.Append(sql);
        return this;
    }

    public SqlBuilder Append(char c)
    {
        _sql.Append(c);
        return this;
    }

    /// <summary>Appends a quoted identifier (table, column or alias name).</summary>
    public SqlBuilder AppendIdentifier(string name)
    {
        _sql.Append(Dialect.Quote(name));
        return this;
    }

    /// <summary>Appends <c>alias.column</c>, both quoted.</summary>
    public SqlBuilder AppendColumn(string alias, string column)
    {
        _sql.Append(Dialect.Quote(alias)).Append('.').Append(Dialect.Quote(column));
        return this;
    }

    /// <summary>Appends a placeholder for <paramref name="value"/> and records the value.</summary>
    public SqlBuilder AppendParameter(object? value)
    {
        var name = "p" + _parameters.Count.ToString(CultureInfo.InvariantCulture);
        _parameters.Add(new(name, value));
        _sql.Append('@').Append(name);
        return this;
    }

    /// <summary>Appends a placeholder typed as JSON (<see cref="ISqlDialect.JsonText"/>), so even a null reads as a JSON value.</summary>
    public SqlBuilder AppendJsonParameter(object? value)
    {
        var name = "p" + _parameters.Count.ToString(CultureInfo.InvariantCulture);
        _parameters.Add(new(name, value));
        _sql.Append(Dialect.JsonText("@" + name));
        return this;
    }

    /// <summary>
    /// Appends the text and parameters of <paramref name="fragment"/>, built on its own (a compiled condition), so one
    /// compilation can serve several statements. Placeholders are kept as written, so this builder must not hold
    /// parameters yet; aliases continue after the fragment's.
    /// </summary>
    public SqlBuilder AppendFragment(SqlBuilder fragment)
    {
        if (_parameters.Count > 0)
        {
            throw new InvalidOperationException("A fragment can only be appended before any parameter.");
        }

        _sql.Append(fragment._sql);
        _parameters.AddRange(fragment._parameters);
        _aliasCounter = Math.Max(_aliasCounter, fragment._aliasCounter);
        return this;
    }

    /// <summary>Removes text appended after <paramref name="length"/>; parameters stay (unused ones are harmless).</summary>
    public void Truncate(int length) => _sql.Length = length;

    /// <summary>A fresh alias that no other part of this statement uses.</summary>
    public string NewAlias(string prefix = "__t")
    {
        _aliasCounter++;
        return prefix + _aliasCounter.ToString(CultureInfo.InvariantCulture);
    }

    private int _aliasCounter;

    /// <summary>
    /// A command for this statement. Without <paramref name="transaction"/> the command keeps the one the connection
    /// gives it: a read handed the connection of an open unit (<see cref="UnitDatabase"/>) runs inside that unit.
    /// </summary>
    public DbCommand CreateCommand(DbConnection connection, DbTransaction? transaction = null)
    {
        var command = connection.CreateCommand();
        if (transaction is not null)
        {
            command.Transaction = transaction;
        }

        command.CommandText = _sql.ToString();
        foreach (var (name, value) in _parameters)
        {
            var p = command.CreateParameter();
            p.ParameterName = name;
            p.Value = Dialect.ToDbParameterValue(value);
            command.Parameters.Add(p);
        }

        return command;
    }

    public override string ToString() => _sql.ToString();
}
