namespace Basalt.Client.Files;

/// <summary>
/// A file to upload into a file field with a record create or update. <see cref="Field"/> may carry a modifier:
/// <c>documents+</c> appends, <c>+documents</c> prepends, plain <c>documents</c> replaces. The stream is read once and
/// not disposed here.
/// </summary>
public sealed class FileUpload(string field, string fileName, Stream content, string contentType = "application/octet-stream")
{
    public FileUpload(string field, string fileName, byte[] content, string contentType = "application/octet-stream")
        : this(field, fileName, new MemoryStream(content, writable: false), contentType)
    {
    }

    public string Field { get; } = field;

    public string FileName { get; } = fileName;

    public Stream Content { get; } = content;

    public string ContentType { get; } = contentType;
}
