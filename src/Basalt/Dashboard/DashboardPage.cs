using System.IO.Compression;
using System.Text;

namespace Basalt.Dashboard;

/// <summary>A small page rewritten at start, held in memory in each encoding the dashboard serves.</summary>
internal sealed record DashboardPage(byte[] Identity, byte[] Gzip, byte[] Brotli)
{
    public static DashboardPage Of(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        return new DashboardPage(bytes, Compress(bytes, s => new GZipStream(s, CompressionLevel.SmallestSize)), Compress(bytes, s => new BrotliStream(s, CompressionLevel.SmallestSize)));
    }

    private static byte[] Compress(byte[] bytes, Func<Stream, Stream> encoder)
    {
        using var buffer = new MemoryStream();
        using (var encoding = encoder(buffer))
        {
            encoding.Write(bytes);
        }

        return buffer.ToArray();
    }
}
