using NetVips;

namespace Basalt.Files.Thumbs;

/// <summary>
/// Makes a thumbnail of an image with libvips (NetVips): shrink-on-load for JPEG, only the four decoders PocketBase
/// makes thumbs for, and a header check before any pixel is decoded, so hostile images cost bounded memory and time.
/// </summary>
public static class ThumbMaker
{
    /// <summary>An image whose header claims more pixels than this is not decoded (a decompression bomb).</summary>
    public const long MaxSourcePixels = 100_000_000;

    /// <summary>A file larger than this is not read for a thumb; its original is served.</summary>
    public const long MaxSourceBytes = 64L * 1024 * 1024;

    // Sides of a thumb are at most 4096 (ThumbSize); a one-side size of a very long image could still ask for more.
    private const long MaxThumbPixels = 4096L * 4096;

    // Asking libvips for a side this large makes the other side alone decide the scale.
    private const int Unbounded = 10_000_000;

    // Passed to the loader: a truncated or garbled image is an error, not a thumb with a grey half. (The thumbnail
    // operation's own fail_on argument does not reach the loader for JPEG and PNG.)
    private const string FailOnTruncated = "[fail_on=truncated]";

    private static readonly Lazy<bool> Configured = new(Configure);

    /// <summary>
    /// The thumb of <paramref name="source"/> at <paramref name="size"/>, in the source's own format, or null when the
    /// content is not a JPEG, PNG, GIF or WebP image, is broken, or is too large to decode safely; then
    /// <paramref name="refusal"/> says which.
    /// </summary>
    public static ThumbImage? TryMake(byte[] source, ThumbSize size, out ThumbRefusal refusal)
    {
        _ = Configured.Value;
        if (source.Length == 0 || source.Length > MaxSourceBytes)
        {
            refusal = ThumbRefusal.SourceSize;
            return null;
        }

        try
        {
            string loader;
            using (var header = Image.NewFromBuffer(source, access: Enums.Access.Sequential))
            {
                loader = header.Get("vips-loader") as string ?? "";
                if ((long)header.Width * header.Height > MaxSourcePixels)
                {
                    refusal = ThumbRefusal.TooManyPixels;
                    return null;
                }

                if (!FitsBounds(header.Width, header.Height, size))
                {
                    refusal = ThumbRefusal.ThumbTooLarge;
                    return null;
                }
            }

            var format = ThumbFormat.FromLoader(loader);
            if (format is null)
            {
                refusal = ThumbRefusal.Unreadable;
                return null;
            }

            using var thumb = Resize(source, size);
            refusal = ThumbRefusal.None;
            return new ThumbImage(format.Save(thumb), format.ContentType);
        }
        catch (VipsException)
        {
            refusal = ThumbRefusal.Unreadable;
            return null;
        }
    }

    private static Image Resize(byte[] source, ThumbSize size)
    {
        if (size.Width == 0)
        {
            return Image.ThumbnailBuffer(source, Unbounded, FailOnTruncated, height: size.Height, size: Enums.Size.Both);
        }

        if (size.Height == 0)
        {
            return Image.ThumbnailBuffer(source, size.Width, FailOnTruncated, height: Unbounded, size: Enums.Size.Both);
        }

        // Fit never enlarges (a small image stays as it is); the cropping modes fill the box, enlarging if they must.
        return size.Crop == ThumbCrop.Fit
            ? Image.ThumbnailBuffer(source, size.Width, FailOnTruncated, height: size.Height, size: Enums.Size.Down)
            : Image.ThumbnailBuffer(source, size.Width, FailOnTruncated, height: size.Height, size: Enums.Size.Both, crop: Interest(size.Crop));
    }

    private static Enums.Interesting Interest(ThumbCrop crop) => crop switch
    {
        ThumbCrop.Top => Enums.Interesting.Low,
        ThumbCrop.Bottom => Enums.Interesting.High,
        _ => Enums.Interesting.Centre,
    };

    private static bool FitsBounds(int width, int height, ThumbSize size)
    {
        if (width <= 0 || height <= 0)
        {
            return false;
        }

        if (!size.KeepsAspectRatio)
        {
            return true;
        }

        var other = size.Width == 0
            ? (double)width * size.Height / height
            : (double)height * size.Width / width;
        return Math.Ceiling(other) * Math.Max(size.Width, size.Height) <= MaxThumbPixels;
    }

    private static bool Configure()
    {
        // Only the loaders PocketBase makes thumbs for may run, whatever the bytes claim to be: libvips' other loaders
        // (and ImageMagick's, when present) are not hardened against hostile files.
        NetVips.NetVips.BlockUntrusted = true;
        Operation.Block("VipsForeignLoad", true);
        foreach (var loader in ThumbFormat.Loaders)
        {
            Operation.Block(loader, false);
        }

        // Thumbs are cached on storage; libvips' operation cache would only hold memory. One thread per thumb keeps a
        // burst of thumb requests from taking every core.
        Cache.Max = 0;
        NetVips.NetVips.Concurrency = 1;

        // A hostile image makes libvips print warnings to stderr; the failure already reaches the caller as null.
        NetVips.Log.SetLogHandler("VIPS", Enums.LogLevelFlags.Warning | Enums.LogLevelFlags.Message | Enums.LogLevelFlags.Info, static (_, _, _) => { });
        return true;
    }
}
