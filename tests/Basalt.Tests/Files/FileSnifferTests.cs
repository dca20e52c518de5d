using System.Text;
using Basalt.Files;

namespace Basalt.Tests.Files;

/// <summary>Types come from the first bytes only: signatures, then text kinds.</summary>
public sealed class FileSnifferTests
{
    public static TheoryData<byte[], string> Samples() => new()
    {
        { [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0], "image/png" },
        { [0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10], "image/jpeg" },
        { Encoding.ASCII.GetBytes("GIF89a....."), "image/gif" },
        { Encoding.ASCII.GetBytes("RIFF\0\0\0\0WEBPVP8 "), "image/webp" },
        { Encoding.ASCII.GetBytes("RIFF\0\0\0\0WAVEfmt "), "audio/wav" },
        { Encoding.ASCII.GetBytes("%PDF-1.7\n"), "application/pdf" },
        { [0x50, 0x4B, 0x03, 0x04, 0x14, 0], "application/zip" },
        { [0x1F, 0x8B, 0x08, 0], "application/gzip" },
        { Encoding.ASCII.GetBytes("\0\0\0\x18" + "ftypmp42\0\0\0\0"), "video/mp4" },
        { Encoding.ASCII.GetBytes("\0\0\0\x1C" + "ftypavif\0\0\0\0"), "image/avif" },
        { Encoding.ASCII.GetBytes("ID3\x03\0\0\0"), "audio/mpeg" },
        { Encoding.UTF8.GetBytes("  <!DOCTYPE html><html></html>"), "text/html; charset=utf-8" },
        { Encoding.UTF8.GetBytes("<html><svg></svg></html>"), "text/html; charset=utf-8" },
        { Encoding.UTF8.GetBytes("<?xml version=\"1.0\"?><svg xmlns=\"http://www.w3.org/2000/svg\"/>"), "image/svg+xml" },
        { Encoding.UTF8.GetBytes("<svg onload=\"alert(1)\"></svg>"), "image/svg+xml" },
        { Encoding.UTF8.GetBytes("<?xml version=\"1.0\"?><note/>"), "text/xml; charset=utf-8" },
        { Encoding.UTF8.GetBytes("{\"a\": [1, 2]}"), "application/json" },
        { Encoding.UTF8.GetBytes("{\"a\": [1, 2"), "text/plain; charset=utf-8" },
        { Encoding.UTF8.GetBytes("BMW drivers\nhello"), "text/plain; charset=utf-8" },
        { Encoding.UTF8.GetBytes("héllo wörld"), "text/plain; charset=utf-8" },
        { [0x00, 0x01, 0x02, 0x03, 0xFE], "application/octet-stream" },
        { [], "text/plain" },
    };

    [Theory]
    [MemberData(nameof(Samples))]
    public void Detects_the_type_from_the_content(byte[] head, string expected) => Assert.Equal(expected, FileSniffer.Detect(head));

    [Fact]
    public async Task Reads_only_the_head_of_a_stream()
    {
        var content = new MemoryStream([.. "GIF89a"u8.ToArray(), .. new byte[100_000]]);
        Assert.Equal("image/gif", await FileSniffer.DetectAsync(content, CancellationToken.None));
        Assert.Equal(FileSniffer.HeadLength, content.Position);
    }
}
