using NetVips;

namespace Basalt.Files.Thumbs;

/// <summary>The image formats thumbs are made for, each with the libvips loader that reads it and how it is saved.</summary>
internal sealed class ThumbFormat
{
    private static readonly ThumbFormat Jpeg = new("image/jpeg", image => image.JpegsaveBuffer(q: 85, keep: Enums.ForeignKeep.None));
    private static readonly ThumbFormat Png = new("image/png", image => image.PngsaveBuffer(keep: Enums.ForeignKeep.None));
    private static readonly ThumbFormat Gif = new("image/gif", image => image.GifsaveBuffer(keep: Enums.ForeignKeep.None));
    private static readonly ThumbFormat Webp = new("image/webp", image => image.WebpsaveBuffer(q: 85, keep: Enums.ForeignKeep.None));

    private readonly Func<Image, byte[]> _save;

    private ThumbFormat(string contentType, Func<Image, byte[]> save)
    {
        ContentType = contentType;
        _save = save;
    }

    /// <summary>The libvips loader classes left unblocked: every other loader is refused.</summary>
    public static IReadOnlyList<string> Loaders { get; } =
        ["VipsForeignLoadJpeg", "VipsForeignLoadPng", "VipsForeignLoadNsgif", "VipsForeignLoadWebp"];

    public string ContentType { get; }

    /// <summary>The format read by libvips' <paramref name="loader"/> (e.g. <c>jpegload_buffer</c>), or null.</summary>
    public static ThumbFormat? FromLoader(string loader) => loader switch
    {
        "jpegload_buffer" => Jpeg,
        "pngload_buffer" => Png,
        "gifload_buffer" => Gif,
        "webpload_buffer" => Webp,
        _ => null,
    };

    public byte[] Save(Image image) => _save(image);
}
