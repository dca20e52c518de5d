using Basalt.Collections;

namespace Basalt.Storage;

/// <summary>
/// Everything that differs between databases. This part owns naming, types, value conversion and schema (DDL);
/// <c>ISqlDialect.Query.cs</c> owns the expressions the filter compiler needs. Nothing outside Storage/ knows
/// which database it talks to.
/// </summary>
public partial interface ISqlDialect
{
    /// <summary>"sqlite" or "postgres".</summary>
    string Name { get; }

    /// <summary>Quotes an identifier; names are validated as <c>^\w+$</c> before they get here, quoting is the second guard.</summary>
    string Quote(string identifier);

    /// <summary>Converts a canonical record value (see <see cref="Records.Record"/>) into a value the driver binds.</summary>
    object ToDbParameterValue(object? value);

    /// <summary>Converts a value read from a column of <paramref name="field"/> back into its canonical CLR value.</summary>
    object? FromDbValue(Field field, object? dbValue);
}
