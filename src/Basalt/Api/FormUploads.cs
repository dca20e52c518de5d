using Basalt.Files;
using Basalt.Model;
using Basalt.Records;
using Microsoft.AspNetCore.Http;

namespace Basalt.Api;

/// <summary>
/// Turns the files of a multipart record body into <see cref="RecordUpload"/>s: only parts sent under a file field's
/// key (<c>f</c>, <c>f+</c>, <c>+f</c>) count, in the order sent; each is sniffed from its content (the type the
/// client claimed is ignored) and given its stored name.
/// </summary>
public static class FormUploads
{
    public static async Task<List<RecordUpload>> ReadAsync(Collection collection, IFormFileCollection files, CancellationToken cancellationToken)
    {
        var uploads = new List<RecordUpload>();
        foreach (var file in files)
        {
            var key = file.Name;
            var name = key.TrimStart('+').TrimEnd('+');
            if (name.Length > 0 && key.Length - name.Length <= 1 && collection.FindField(name) is { Type: FieldType.File })
            {
                uploads.Add(await ReadAsync(key, file, cancellationToken));
            }
        }

        return uploads;
    }

    /// <summary>One file sent under <paramref name="key"/>, sniffed and named; whether the key is a file field is the caller's to check.</summary>
    public static async Task<RecordUpload> ReadAsync(string key, IFormFile file, CancellationToken cancellationToken)
    {
        string contentType;
        await using (var head = file.OpenReadStream())
        {
            contentType = await FileSniffer.DetectAsync(head, cancellationToken);
        }

        var original = file.FileName;
        return new RecordUpload(key, original, FileNames.Create(original, contentType), file.Length, contentType, file.OpenReadStream);
    }
}
