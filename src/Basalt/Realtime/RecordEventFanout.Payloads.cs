using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Basalt.Errors;
using Basalt.Model;
using Basalt.Query;
using Basalt.Records;
using Basalt.Storage;

namespace Basalt.Realtime;

/// <summary>The data of an event: <c>{"action", "record"}</c> with the subscription's expand and fields, as UTF-8 bytes.</summary>
public sealed partial class RecordEventFanout
{
    private async Task<byte[]> PayloadAsync(string action, Record record, RealtimeSubscription subscription, RequestInfo request, CancellationToken cancellationToken)
    {
        var copy = Copy(record);
        if (subscription.Expand is not null || record.Collection.IsAuth)
        {
            try
            {
                // Also marks an auth record the reader manages, whose email it may then see.
                await records.ExpandAsync(copy, subscription.Expand, request, cancellationToken);
            }
            catch (Exception e) when (e is ApiError or ReadTimeoutException)
            {
                // PocketBase sends the event without the expand it could not resolve (or, here, not within the read deadline)
                copy = Copy(record);
            }
        }

        return Serialize(action, copy, request, subscription.Fields);
    }

    /// <summary>
    /// <c>{"action", "record"}</c>, with <c>fields</c> picked from the record as in PocketBase (an unusable
    /// <c>fields</c> sends the whole record, as PocketBase does).
    /// </summary>
    private static byte[] Serialize(string action, Record record, RequestInfo request, string? fields)
    {
        FieldsPicker? picker;
        try
        {
            picker = FieldsPicker.Parse(fields);
        }
        catch (ApiError)
        {
            picker = null;
        }

        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("action", action);
            writer.WritePropertyName("record");
            if (picker is null)
            {
                RecordSerializer.Write(writer, record, request);
            }
            else
            {
                var whole = new ArrayBufferWriter<byte>();
                using (var recordWriter = new Utf8JsonWriter(whole))
                {
                    RecordSerializer.Write(recordWriter, record, request);
                }

                if (picker.Apply(JsonNode.Parse(whole.WrittenSpan)) is { } picked)
                {
                    picked.WriteTo(writer);
                }
                else
                {
                    writer.WriteNullValue();
                }
            }

            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
