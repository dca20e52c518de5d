using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;
using Basalt.Files.Thumbs;
using NetVips;

namespace Basalt.Tests.Files;

public sealed class ThumbMakerTests
{
    [Theory]
    [InlineData("100x100", 100, 100)]
    [InlineData("100x100t", 100, 100)]
    [InlineData("100x100b", 100, 100)]
    [InlineData("120x90f", 120, 80)]
    [InlineData("0x60", 90, 60)]
    [InlineData("60x0", 60, 40)]
    [InlineData("600x0", 600, 400)]
    public void Sizes_a_jpeg_as_each_mode_says(string spec, int width, int height)
    {
        Assert.True(ThumbSize.TryParse(spec, out var size));

        var thumb = ThumbMaker.TryMake(Sample(300, 200, ".jpg"), size, out _);

        Assert.NotNull(thumb);
        Assert.Equal("image/jpeg", thumb.ContentType);
        using var image = Image.NewFromBuffer(thumb.Bytes);
        Assert.Equal((width, height), (image.Width, image.Height));
    }

    [Fact]
    public void Fit_never_enlarges_a_small_image()
    {
        Assert.True(ThumbSize.TryParse("500x500f", out var size));

        using var image = Image.NewFromBuffer(ThumbMaker.TryMake(Sample(80, 40, ".png"), size, out _)!.Bytes);

        Assert.Equal((80, 40), (image.Width, image.Height));
    }

    [Fact]
    public void Top_and_bottom_crops_keep_different_ends_of_a_tall_image()
    {
        // White top half, black bottom half: a top crop is white, a bottom crop is black.
        using var top = Image.Black(100, 200).Insert(Image.Black(100, 100) + 255, 0, 0);
        var source = top.Cast(Enums.BandFormat.Uchar).PngsaveBuffer();

        Assert.True(ThumbSize.TryParse("50x50t", out var fromTop));
        Assert.True(ThumbSize.TryParse("50x50b", out var fromBottom));
        using var topThumb = Image.NewFromBuffer(ThumbMaker.TryMake(source, fromTop, out _)!.Bytes);
        using var bottomThumb = Image.NewFromBuffer(ThumbMaker.TryMake(source, fromBottom, out _)!.Bytes);

        Assert.True(topThumb.Avg() > 200);
        Assert.True(bottomThumb.Avg() < 50);
    }

    [Theory]
    [InlineData(".jpg", "image/jpeg")]
    [InlineData(".png", "image/png")]
    [InlineData(".gif", "image/gif")]
    [InlineData(".webp", "image/webp")]
    public void Keeps_the_format_of_the_content(string format, string contentType)
    {
        var thumb = ThumbMaker.TryMake(Sample(64, 64, format), ThumbSize.Default, out _);

        Assert.NotNull(thumb);
        Assert.Equal(contentType, thumb.ContentType);
    }

    [Fact]
    public void Refuses_what_is_not_one_of_the_four_formats()
    {
        var svg = Encoding.UTF8.GetBytes("""<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>""");
        var text = Encoding.UTF8.GetBytes("just some text that claims to be photo.jpg");
        var tiff = Sample(32, 32, ".tif");

        Assert.Equal(ThumbRefusal.Unreadable, Refused(svg, ThumbSize.Default));
        Assert.Equal(ThumbRefusal.Unreadable, Refused(text, ThumbSize.Default));
        Assert.Equal(ThumbRefusal.Unreadable, Refused(tiff, ThumbSize.Default));
        Assert.Equal(ThumbRefusal.SourceSize, Refused([], ThumbSize.Default));
    }

    [Theory]
    [InlineData(".jpg")]
    [InlineData(".png")]
    [InlineData(".gif")]
    [InlineData(".webp")]
    public void Refuses_a_truncated_or_garbled_image(string format)
    {
        var image = Sample(400, 300, format);
        var garbled = image.ToArray();
        new Random(7).NextBytes(garbled.AsSpan(garbled.Length / 3));

        Assert.Equal(ThumbRefusal.Unreadable, Refused(image[..(image.Length / 2)], ThumbSize.Default));
        Assert.Equal(ThumbRefusal.Unreadable, Refused(image[..64], ThumbSize.Default));

        // Garbled entropy-coded data can still decode (to noise, as in a browser); what matters is no exception and
        // either no thumb or a well-formed one.
        var fromGarbled = ThumbMaker.TryMake(garbled, ThumbSize.Default, out _);
        if (fromGarbled is not null)
        {
            using var decoded = Image.NewFromBuffer(fromGarbled.Bytes);
            Assert.Equal((100, 100), (decoded.Width, decoded.Height));
        }
    }

    [Fact]
    public void Refuses_a_decompression_bomb_without_decoding_it()
    {
        // A PNG whose header claims 100,000 x 100,000 pixels: decoding it would need 30 GB.
        var bomb = PngWithHeader(100_000, 100_000);
        var before = GC.GetTotalAllocatedBytes();

        Assert.Equal(ThumbRefusal.TooManyPixels, Refused(bomb, ThumbSize.Default));
        Assert.True(GC.GetTotalAllocatedBytes() - before < 16 * 1024 * 1024);
    }

    [Fact]
    public void Refuses_a_one_side_size_that_would_make_a_huge_thumb()
    {
        Assert.True(ThumbSize.TryParse("4000x0", out var size));

        Assert.Equal(ThumbRefusal.ThumbTooLarge, Refused(Sample(2, 2000, ".png"), size));
    }

    [Theory]
    [InlineData("0x0")]
    [InlineData("x100")]
    [InlineData("100x")]
    [InlineData("100x100z")]
    [InlineData("-1x100")]
    [InlineData("5000x10")]
    [InlineData("10x10ff")]
    [InlineData("../100x100")]
    [InlineData("１００x100")]
    [InlineData("")]
    [InlineData(null)]
    public void Size_parsing_refuses_malformed_and_oversized_specs(string? spec)
    {
        Assert.False(ThumbSize.TryParse(spec, out _));
    }

    [Theory]
    [InlineData("100x50t", 100, 50, ThumbCrop.Top)]
    [InlineData("100x50b", 100, 50, ThumbCrop.Bottom)]
    [InlineData("100x50f", 100, 50, ThumbCrop.Fit)]
    [InlineData("0x50t", 0, 50, ThumbCrop.Center)]
    [InlineData("4096x4096", 4096, 4096, ThumbCrop.Center)]
    public void Size_parsing_reads_each_form(string spec, int width, int height, ThumbCrop crop)
    {
        Assert.True(ThumbSize.TryParse(spec, out var size));
        Assert.Equal(new ThumbSize(width, height, crop), size);
    }

    /// <summary>Why no thumb was made of <paramref name="source"/> (and that none was).</summary>
    private static ThumbRefusal Refused(byte[] source, ThumbSize size)
    {
        Assert.Null(ThumbMaker.TryMake(source, size, out var refusal));
        return refusal;
    }

    private static byte[] Sample(int width, int height, string format)
    {
        using var x = Image.Xyz(width, height);
        using var bands = x[0].Bandjoin(x[1], x[0] + x[1]);
        using var image = bands.Cast(Enums.BandFormat.Uchar).Copy(interpretation: Enums.Interpretation.Srgb);
        return image.WriteToBuffer(format);
    }

    private static byte[] PngWithHeader(int width, int height)
    {
        using var output = new MemoryStream();
        output.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8;
        header[9] = 2;
        WriteChunk(output, "IHDR", header);
        WriteChunk(output, "IDAT", [0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01]);
        WriteChunk(output, "IEND", []);
        return output.ToArray();
    }

    private static void WriteChunk(MemoryStream output, string type, byte[] data)
    {
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, data.Length);
        output.Write(length);
        var typeAndData = Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
        output.Write(typeAndData);
        Span<byte> crc = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crc, Crc32.HashToUInt32(typeAndData));
        output.Write(crc);
    }
}
