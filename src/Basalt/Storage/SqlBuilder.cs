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

    // A fragment (SqlCondition, SqlOrder) names its parameters and aliases with a prefix of its own, so it can be
    // compiled once and appended anywhere in any number of statements without colliding with their names.
    private readonly string _prefix;
    private List<SqlBuilder>? _fragments;
    private int _aliasCounter;

    public SqlBuilder(ISqlDialect dialect)
        : this(dialect, "p")
    {
    }

    internal SqlBuilder(ISqlDialect dialect, string prefix)
    {
        Dialect = dialect;
        _prefix = prefix;
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
        _sql.Append('@').Append(AddParameter(value));
        return this;
    }

    /// <summary>Appends a placeholder typed as JSON (<see cref="ISqlDialect.JsonText"/>), so even a null reads as a JSON value.</summary>
    public SqlBuilder AppendJsonParameter(object? value)
    {
        _sql.Append(Dialect.JsonText("@" + AddParameter(value)));
        return this;
    }

    /// <summary>
    /// Appends the text of <paramref name="fragment"/>, built on its own (a compiled condition or order), so that one
    /// compilation serves several statements. Its parameters are added once, however often its text is appended.
    /// </summary>
    internal SqlBuilder AppendFragment(SqlBuilder fragment)
    {
        _fragments ??= [];
        if (!_fragments.Contains(fragment))
        {
            if (fragment._prefix == _prefix || _fragments.Any(f => f._prefix == fragment._prefix))
            {
                throw new InvalidOperationException($"Another part of this statement already names its parameters {fragment._prefix}0, {fragment._prefix}1, ...");
            }

            _fragments.Add(fragment);
            _parameters.AddRange(fragment._parameters);
        }

        _sql.Append(fragment._sql);
        return this;
    }

    /// <summary>Removes text appended after <paramref name="length"/>; parameters stay (unused ones are harmless).</summary>
    public void Truncate(int length) => _sql.Length = length;

    /// <summary>A fresh alias that no other part of this statement uses.</summary>
    public string NewAlias(string prefix = "__t")
    {
        _aliasCounter++;
        return prefix + (_prefix == "p" ? "" : _prefix) + _aliasCounter.ToString(CultureInfo.InvariantCulture);
    }

    private string AddParameter(object? value)
    {
        var name = _prefix + _parameters.Count.ToString(CultureInfo.InvariantCulture);
        _parameters.Add(new(name, value));
        return name;
    }

    /// <summary>
    /// A command for this statement. Without <paramref name="transaction"/> the command keeps the one the connection
    /// gives it: a read handed the connection of an open unit (<see cref="UnitDatabase"/>) runs inside that unit.
    /// </summary>
    public DbCommand CreateCommand(DbConnection connection, DbTransaction? transaction = null)
    {
        UnitConnections.Sent(connection);
        var command = connection.CreateCommand();
        if (transaction is not null)
        {
            command.Transaction = transaction;
        }

        command.CommandText = _sql.ToString();
        AddParametersTo(command, null);
        return command;
    }

    /// <summary>Adds this statement's parameters to <paramref name="command"/> (one of its text), named through <paramref name="cache"/> when it came from one.</summary>
    internal void AddParametersTo(DbCommand command, IStatementCache? cache)
    {
        foreach (var (name, value) in _parameters)
        {
            var p = command.CreateParameter();
            p.ParameterName = cache?.ParameterName(name) ?? name;
            p.Value = Dialect.ToDbParameterValue(value);
            command.Parameters.Add(p);
        }
    }

    /// <summary>This statement as one command of <paramref name="batch"/>.</summary>
    public DbBatchCommand CreateBatchCommand(DbBatch batch)
    {
        UnitConnections.Sent(batch.Connection);
        var command = batch.CreateBatchCommand();
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
