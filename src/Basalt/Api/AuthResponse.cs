using System.Text.Json.Nodes;
using Basalt.Model;
using Basalt.Records;
using Microsoft.AspNetCore.Http;

namespace Basalt.Api;

/// <summary>Writes the auth response of §7.1 that every sign-in route returns.</summary>
internal static class AuthResponse
{
    /// <summary>
    /// <c>{token, record[, meta]}</c>. The record is serialised as its owner sees it, so email is always present and
    /// superusers see hidden fields; <c>?expand=</c> is resolved as the signed-in record and <c>?fields=</c> applies.
    /// <paramref name="meta"/> is only given by OAuth2.
    /// </summary>
    public static async Task WriteAsync(
        HttpContext context, FieldsPicker? picker, RecordService records, string token, Record record, JsonObject? meta = null)
    {
        var request = RequestInfoFactory.Create(context) with { Auth = record };
        await records.ExpandAsync(record, context.Request.Query["expand"], request, context.RequestAborted);
        await RecordsEndpoints.WriteAsync(context, picker, writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("token", token);
            writer.WritePropertyName("record");
            RecordSerializer.Write(writer, record, request);
            if (meta is not null)
            {
                writer.WritePropertyName("meta");
                meta.WriteTo(writer);
            }

            writer.WriteEndObject();
        });
    }
}
