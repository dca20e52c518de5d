namespace Basalt.Files.Thumbs;

/// <summary>Why no thumb was made of a file; its original is served instead.</summary>
public enum ThumbRefusal
{
    /// <summary>A thumb was made.</summary>
    None,

    /// <summary>Its name says JPEG, PNG, GIF or WebP, but its content (as sniffed at upload) is none of them.</summary>
    NotAnImage,

    /// <summary>libvips could not read it: broken or truncated, or not one of the four formats after all.</summary>
    Unreadable,

    /// <summary>Its header claims more than <see cref="ThumbMaker.MaxSourcePixels"/> pixels (a decompression bomb).</summary>
    TooManyPixels,

    /// <summary>At this image's aspect ratio, the size asked for would make a thumb larger than any thumb may be.</summary>
    ThumbTooLarge,

    /// <summary>The file is empty or larger than <see cref="ThumbMaker.MaxSourceBytes"/>.</summary>
    SourceSize,
}
