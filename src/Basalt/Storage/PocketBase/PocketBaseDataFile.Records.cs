using System.Runtime.CompilerServices;
using System.Text.Json;
using Basalt.Model;
using Basalt.Storage.Schema;
using Microsoft.Data.Sqlite;

namespace Basalt.Storage.PocketBase;

/// <summary>Streams the rows of a collection's table as records of the collection they are imported into.</summary>
public sealed partial class PocketBaseDataFile
{
    /// <summary>
    /// Every row of <paramref name="table"/> as a record of <paramref name="target"/>: field <c>i</c> is read from
    /// <paramref name="columns"/>[i] (a column of the table), or takes the field's empty value where that is null. Values
    /// are converted as Basalt reads its own rows, except that a json field keeps the exact JSON text PocketBase stored.
    /// </summary>
    public async IAsyncEnumerable<Record> ReadRecordsAsync(
        string table,
        Collection target,
        IReadOnlyList<string?> columns,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var read = Enumerable.Range(0, target.Fields.Count).Where(i => columns[i] is not null).ToList();
        var sql = "SELECT " + (read.Count == 0 ? "1" : string.Join(", ", read.Select(i => Quote(columns[i]!)))) + " FROM " + Quote(table);
        await using var command = Command(sql);
        SqliteDataReader reader;
        try
        {
            reader = await command.ExecuteReaderAsync(cancellationToken);
        }
        catch (SqliteException e)
        {
            throw Unreadable(Path, e);
        }

        await using (reader)
        {
            while (true)
            {
                try
                {
                    if (!await reader.ReadAsync(cancellationToken))
                    {
                        break;
                    }
                }
                catch (SqliteException e)
                {
                    throw Unreadable(Path, e);
                }

                var record = new Record(target);
                foreach (var field in target.Fields)
                {
                    record.Set(field.Name, ValueConversion.Empty(ColumnKinds.Of(field)));
                }

                for (var slot = 0; slot < read.Count; slot++)
                {
                    var field = target.Fields[read[slot]];
                    record.Set(field.Name, Value(field, reader.IsDBNull(slot) ? null : reader.GetValue(slot)));
                }

                yield return record;
            }
        }
    }

    private static object? Value(Field field, object? raw)
    {
        if (ColumnKinds.Of(field) != ColumnKind.Json)
        {
            return ValueConversion.FromDb(field, raw);
        }

        // A json field is always handed on as JSON text (RecordStore binds text as the JSON value itself), so the stored
        // bytes stay PocketBase's and every row binds the same parameter type.
        return raw switch
        {
            null => null,
            string text when IsJson(text) => text,
            _ => (ValueConversion.FromDb(field, raw) as System.Text.Json.Nodes.JsonNode)?.ToJsonString(),
        };
    }

    private static bool IsJson(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
