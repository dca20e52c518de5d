using System.Globalization;
using Basalt.Storage;

namespace Basalt.Query;

/// <summary>
/// An operand after resolution: either a static value (bound as a parameter when emitted) or SQL that reads a column,
/// a JSON path or a computed expression, possibly from a joined source listed in the surrounding <see cref="JoinScope"/>.
/// </summary>
internal sealed class ResolvedOperand
{
    public required ValueKind Kind { get; init; }

    public bool IsStatic { get; init; }

    /// <summary>A string, double, bool or null when <see cref="IsStatic"/>.</summary>
    public object? Value { get; init; }

    /// <summary>How a number literal was written, so <c>title = 5</c> compares with "5" and not "5.0".</summary>
    public string? NumberText { get; init; }

    /// <summary>Writes the expression (not set for static values and JSON paths).</summary>
    public Action<SqlBuilder>? Sql { get; init; }

    /// <summary>Writes the JSON document a <see cref="ValueKind.Json"/> operand reads <see cref="JsonPath"/> from.</summary>
    public Action<SqlBuilder>? JsonDocument { get; init; }

    public IReadOnlyList<string> JsonPath { get; init; } = [];

    /// <summary>The value comes from a source with any number of items (plain operators then mean "all items").</summary>
    public bool IsMulti { get; init; }

    /// <summary>Turns off the empty-string/NULL normalisation of equality (JSON values, geoDistance).</summary>
    public bool NoCoalesce { get; init; }

    /// <summary>The value can be NULL (read through a join or from JSON), which matters for sort order on PostgreSQL.</summary>
    public bool Nullable { get; init; }

    /// <summary>A condition ANDed with every comparison that uses this operand (e.g. emailVisibility for client filters).</summary>
    public Action<SqlBuilder>? Guard { get; init; }

    public bool IsEmptyValue => IsStatic && Value is null or "";

    public bool IsKnownNonEmpty => IsStatic && !IsEmptyValue;

    public static ResolvedOperand Static(object? value, string? numberText = null) => new()
    {
        Kind = value switch
        {
            null => ValueKind.Null,
            double => ValueKind.Number,
            bool => ValueKind.Bool,
            _ => ValueKind.Text,
        },
        IsStatic = true,
        Value = value,
        NumberText = numberText,
    };

    /// <summary>The static value as text, the way SQLite would compare it with a text column.</summary>
    public string? StaticText => Value switch
    {
        null => null,
        string s => s,
        bool b => b ? "1" : "0",
        double d => NumberText ?? d.ToString("R", CultureInfo.InvariantCulture),
        _ => Convert.ToString(Value, CultureInfo.InvariantCulture),
    };

    /// <summary>The static value as a number, when SQLite's numeric affinity would read it as one.</summary>
    public double? StaticNumber => Value switch
    {
        double d => d,
        bool b => b ? 1 : 0,
        string s when double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d) => d,
        _ => null,
    };
}
