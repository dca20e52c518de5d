using System.Diagnostics;
using NetVips;
using SixLabors.ImageSharp.Processing;
using SkiaSharp;
using ImageSharpImage = SixLabors.ImageSharp.Image;
using VipsImage = NetVips.Image;

// Usage: Thumbs make PATH | Thumbs netvips|imagesharp|skiasharp PATH RUNS
// One library per process, so the peak RSS (VmHWM) printed at the end belongs to that library alone.
if (args is ["make", var target])
{
    MakeSample(target);
    return;
}

if (args is not [var library, var path, var runsText])
{
    Console.Error.WriteLine("usage: Thumbs make PATH | Thumbs netvips|imagesharp|skiasharp PATH RUNS");
    Environment.Exit(2);
    return;
}

var source = File.ReadAllBytes(path);
if (library == "netvips")
{
    // Basalt caches thumbs on storage, so libvips' own operation cache would only hold memory.
    Cache.Max = 0;
    NetVips.NetVips.Concurrency = 1;
}

var runs = int.Parse(runsText, System.Globalization.CultureInfo.InvariantCulture);
Func<byte[], int, int, byte[]> thumb = library switch
{
    "netvips" => NetVipsThumb,
    "imagesharp" => ImageSharpThumb,
    "skiasharp" => SkiaThumb,
    _ => throw new ArgumentException($"unknown library {library}"),
};

foreach (var (w, h) in new[] { (100, 100), (0, 300), (1200, 0) })
{
    thumb(source, w, h);
    var times = new List<double>();
    var size = 0;
    for (var i = 0; i < runs; i++)
    {
        var watch = Stopwatch.StartNew();
        size = thumb(source, w, h).Length;
        times.Add(watch.Elapsed.TotalMilliseconds);
    }

    times.Sort();
    Console.WriteLine($"{library}\t{w}x{h}\tp50_ms={times[times.Count / 2]:F1}\tmax_ms={times[^1]:F1}\tbytes={size}");
}

Console.WriteLine($"{library}\tpeak_rss_mb={PeakRssMegabytes()}");

static byte[] NetVipsThumb(byte[] source, int width, int height)
{
    // thumbnail_buffer shrinks a JPEG while decoding it (shrink-on-load), the way Basalt would call it.
    using var image = width == 0
        ? VipsImage.ThumbnailBuffer(source, 100_000, height: height)
        : height == 0
            ? VipsImage.ThumbnailBuffer(source, width, height: 100_000)
            : VipsImage.ThumbnailBuffer(source, width, height: height, crop: Enums.Interesting.Centre);
    return image.JpegsaveBuffer(q: 85);
}

static byte[] ImageSharpThumb(byte[] source, int width, int height)
{
    using var image = ImageSharpImage.Load(source);
    image.Mutate(x => x.Resize(new ResizeOptions
    {
        Size = new SixLabors.ImageSharp.Size(width, height),
        Mode = width == 0 || height == 0 ? ResizeMode.Max : ResizeMode.Crop,
    }));
    using var output = new MemoryStream();
    image.Save(output, new SixLabors.ImageSharp.Formats.Jpeg.JpegEncoder { Quality = 85 });
    return output.ToArray();
}

static byte[] SkiaThumb(byte[] source, int width, int height)
{
    using var codec = SKCodec.Create(new MemoryStream(source));
    var info = codec.Info;
    var scale = width == 0 ? (float)height / info.Height
        : height == 0 ? (float)width / info.Width
        : Math.Max((float)width / info.Width, (float)height / info.Height);
    // Decode at the smallest size the JPEG decoder supports that is still at least the target (like shrink-on-load).
    var decodeSize = codec.GetScaledDimensions(scale);
    using var decoded = SKBitmap.Decode(codec, new SKImageInfo(decodeSize.Width, decodeSize.Height));
    var outW = width == 0 ? (int)Math.Round(info.Width * scale) : width;
    var outH = height == 0 ? (int)Math.Round(info.Height * scale) : height;
    var scaledW = (int)Math.Round(info.Width * scale);
    var scaledH = (int)Math.Round(info.Height * scale);
    using var resized = decoded.Resize(new SKImageInfo(scaledW, scaledH), new SKSamplingOptions(SKCubicResampler.Mitchell));
    using var surface = SKSurface.Create(new SKImageInfo(outW, outH));
    using var resizedImage = SKImage.FromBitmap(resized);
    surface.Canvas.DrawImage(resizedImage, (outW - scaledW) / 2f, (outH - scaledH) / 2f, SKSamplingOptions.Default, null);
    using var snapshot = surface.Snapshot();
    using var data = snapshot.Encode(SKEncodedImageFormat.Jpeg, 85);
    return data.ToArray();
}

static void MakeSample(string target)
{
    // A photo-like 4000x3000 JPEG: smooth gradients plus noise, so it neither compresses to nothing nor is pure noise.
    using var x = VipsImage.Xyz(4000, 3000);
    using var gradient = x[0] / 16 + x[1] / 12;
    using var noise = VipsImage.Gaussnoise(4000, 3000, sigma: 6, mean: 0);
    using var red = gradient + noise;
    using var green = (x[1] / 12) + noise;
    using var blue = (x[0] / 16) - noise + 128;
    using var rgb = red.Bandjoin(green, blue);
    using var clipped = rgb.Cast(Enums.BandFormat.Uchar);
    using var srgb = clipped.Copy(interpretation: Enums.Interpretation.Srgb);
    srgb.Jpegsave(target, q: 90);
}

static long PeakRssMegabytes()
{
    foreach (var line in File.ReadLines("/proc/self/status"))
    {
        if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
        {
            return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) / 1024;
        }
    }

    return -1;
}
