using System.Collections;
using System.Data.Common;
using System.Globalization;

namespace Basalt.Storage;

/// <summary>Reads the rows of an SQL console statement into plain values the API can write as JSON, whatever the database's types.</summary>
internal static class SqlConsoleReader
{
    /// <summary>The most characters of strings (blobs counted as their base64) one answer may hold, so a console answer cannot exhaust memory.</summary>
    public const long MaxResultChars = 16 << 20;

    public static async Task<SqlConsoleResult> ReadAsync(DbDataReader reader, int maxRows, CancellationToken cancellationToken)
    {
        var columns = new string[reader.FieldCount];
        for (var i = 0; i < columns.Length; i++)
        {
            columns[i] = reader.GetName(i);
        }

        var rows = new List<object?[]>();
        var truncated = false;
        var size = 0L;
        while (await reader.ReadAsync(cancellationToken))
        {
            if (rows.Count == maxRows)
            {
                truncated = true;
                break;
            }

            var row = new object?[columns.Length];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = Read(reader, i);
                size += Size(row[i]);
            }

            if (size > MaxResultChars)
            {
                throw new SqlConsoleException(
                    $"The result is larger than {MaxResultChars >> 20} M characters; ask for fewer rows or smaller columns.");
            }

            rows.Add(row);
        }

        return new SqlConsoleResult(columns, rows, truncated);
    }

    private static long Size(object? value) => value switch
    {
        string s => s.Length,
        IEnumerable<object?> items => items.Sum(Size),
        _ => 8,
    };

    private static object? Read(DbDataReader reader, int ordinal)
    {
        if (reader.IsDBNull(ordinal))
        {
            return null;
        }

        try
        {
            return Plain(reader.GetValue(ordinal));
        }
        catch (Exception e) when (e is InvalidCastException or NotSupportedException or OverflowException)
        {
            // A PostgreSQL type the driver cannot map to .NET; its name tells the reader what the column holds.
            return "(" + reader.GetDataTypeName(ordinal) + ")";
        }
    }

    private static object? Plain(object? value) => value switch
    {
        null or DBNull => null,
        bool or string or long or decimal => value,
        double d => double.IsFinite(d) ? d : d.ToString(CultureInfo.InvariantCulture),
        float f => float.IsFinite(f) ? (double)f : f.ToString(CultureInfo.InvariantCulture),
        int or short or sbyte or byte or ushort or uint => Convert.ToInt64(value, CultureInfo.InvariantCulture),
        ulong u => u <= long.MaxValue ? (long)u : (decimal)u,
        byte[] bytes => Convert.ToBase64String(bytes),
        DateTime d => d.ToString("O", CultureInfo.InvariantCulture),
        DateTimeOffset d => d.ToString("O", CultureInfo.InvariantCulture),
        IEnumerable items => items.Cast<object?>().Select(Plain).ToList(),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };
}
