using System.Globalization;

namespace Basalt.Files.Thumbs;

/// <summary>How a thumb fills its box: cropped around the centre, the top or the bottom, or fitted inside it.</summary>
public enum ThumbCrop
{
    Center,
    Top,
    Bottom,
    Fit,
}

/// <summary>
/// A thumb size as a file field's <c>thumbs</c> option and <c>?thumb=</c> spell it: <c>WxH</c> (crop from the centre),
/// <c>WxHt</c> (from the top), <c>WxHb</c> (from the bottom), <c>WxHf</c> (fit without cropping), <c>0xH</c> and
/// <c>Wx0</c> (one side given, the aspect ratio kept).
/// </summary>
public readonly record struct ThumbSize(int Width, int Height, ThumbCrop Crop)
{
    /// <summary>The thumb every image field offers even when its <c>thumbs</c> list is empty.</summary>
    public static readonly ThumbSize Default = new(100, 100, ThumbCrop.Center);

    // A side beyond this is no thumbnail; refusing it keeps a thumb's pixel buffer bounded whatever the settings say.
    private const int MaxSide = 4096;

    /// <summary>Whether one side is 0, so the other side alone decides the scale.</summary>
    public bool KeepsAspectRatio => Width == 0 || Height == 0;

    /// <summary>Parses <paramref name="text"/>; false for anything but the forms above with sides up to 4096 (a larger
    /// size a field may list is served as the original).</summary>
    public static bool TryParse(string? text, out ThumbSize size)
    {
        size = default;
        if (string.IsNullOrEmpty(text) || text.Length > 12)
        {
            return false;
        }

        var crop = text[^1] switch
        {
            't' => ThumbCrop.Top,
            'b' => ThumbCrop.Bottom,
            'f' => ThumbCrop.Fit,
            _ => ThumbCrop.Center,
        };
        var body = crop == ThumbCrop.Center ? text : text[..^1];
        var x = body.IndexOf('x', StringComparison.Ordinal);
        if (x <= 0 || !TryParseSide(body[..x], out var width) || !TryParseSide(body[(x + 1)..], out var height))
        {
            return false;
        }

        if (width == 0 && height == 0)
        {
            return false;
        }

        // With one side 0 there is nothing to crop or fit against, so a suffix there changes nothing (as in PocketBase).
        size = new ThumbSize(width, height, width == 0 || height == 0 ? ThumbCrop.Center : crop);
        return true;
    }

    public override string ToString()
    {
        var suffix = Crop switch
        {
            ThumbCrop.Top => "t",
            ThumbCrop.Bottom => "b",
            ThumbCrop.Fit => "f",
            _ => "",
        };
        return string.Create(CultureInfo.InvariantCulture, $"{Width}x{Height}{suffix}");
    }

    private static bool TryParseSide(string text, out int side)
    {
        side = 0;
        return text.Length is > 0 and <= 4
            && text.All(char.IsAsciiDigit)
            && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out side)
            && side <= MaxSide;
    }
}
