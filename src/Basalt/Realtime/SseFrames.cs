using System.Buffers;
using System.Globalization;
using System.Text;

namespace Basalt.Realtime;

/// <summary>
/// Encodes SSE frames (§8.1), exactly <c>id:&lt;id&gt;\nevent:&lt;name&gt;\ndata:&lt;json&gt;\n\n</c>. A record event's id is
/// its change-log id, so a client can resume after it; PB_CONNECT and published messages carry the client id, as in
/// PocketBase. One frame's bytes are shared by every stream that receives it.
/// </summary>
public static class SseFrames
{
    public static byte[] Message(string id, string name, string data) =>
        Encoding.UTF8.GetBytes($"id:{id}\nevent:{name}\ndata:{data}\n\n");

    /// <summary>A record event: its change-log <paramref name="id"/>, the subscription it answers, its JSON data.</summary>
    public static byte[] Event(long id, string name, ReadOnlySpan<byte> data)
    {
        var buffer = new ArrayBufferWriter<byte>(name.Length + data.Length + 40);
        Write(buffer, "id:");
        Write(buffer, id.ToString(CultureInfo.InvariantCulture));
        Write(buffer, "\nevent:");
        Write(buffer, name);
        Write(buffer, "\ndata:");
        buffer.Write(data);
        Write(buffer, "\n\n");
        return buffer.WrittenSpan.ToArray();
    }

    private static void Write(ArrayBufferWriter<byte> buffer, string text)
    {
        var span = buffer.GetSpan(Encoding.UTF8.GetMaxByteCount(text.Length));
        buffer.Advance(Encoding.UTF8.GetBytes(text, span));
    }
}
