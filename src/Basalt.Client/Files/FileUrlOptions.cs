namespace Basalt.Client.Files;

/// <summary>Options of a file URL: a thumb size (<c>100x100</c>, <c>0x300</c>, <c>200x200f</c>), a download, a file token.</summary>
public sealed class FileUrlOptions
{
    /// <summary>A thumb listed in the field's <c>thumbs</c> (or 100x100); other sizes serve the original.</summary>
    public string? Thumb { get; set; }

    /// <summary>Served as an attachment (<c>Content-Disposition: attachment</c>).</summary>
    public bool Download { get; set; }

    /// <summary>A file token from <see cref="FileService.GetTokenAsync"/>, needed for protected files.</summary>
    public string? Token { get; set; }
}
