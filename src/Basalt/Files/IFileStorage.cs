namespace Basalt.Files;

/// <summary>
/// Where uploaded files live, addressed by keys <c>COLLECTION_ID/RECORD_ID/NAME</c> (thumbs under
/// <c>COLLECTION_ID/RECORD_ID/thumbs_NAME/</c>). The local folder (<see cref="LocalFileStorage"/>) and an S3 bucket
/// (<see cref="S3FileStorage"/>) implement it; code asks <see cref="FileStorageProvider"/> for the one in use. Keys are
/// made by <see cref="FileKeys"/> and never hold <c>..</c>, a leading slash or a backslash.
/// </summary>
public interface IFileStorage
{
    /// <summary>
    /// True when others may keep objects beside Basalt's and write with their own clock (an S3 bucket): the start-up
    /// sweep then looks only under the prefixes of known collections and keeps every object younger than an hour.
    /// </summary>
    bool IsShared { get; }

    /// <summary>
    /// Stores <paramref name="content"/> under <paramref name="key"/> atomically and durably: when the task completes
    /// the whole file is on stable storage under its name, and a failure or crash at any point leaves either no file
    /// under that name or the complete one (at worst a temporary object the start-up sweep removes).
    /// </summary>
    Task PutAsync(string key, Stream content, string contentType, CancellationToken cancellationToken);

    /// <summary>The file's size, modification time and (where the store keeps it) content type; null when absent.</summary>
    Task<StoredFile?> StatAsync(string key, CancellationToken cancellationToken);

    /// <summary>
    /// Opens <paramref name="length"/> bytes (the rest when null) from <paramref name="offset"/> for reading; throws
    /// <see cref="FileNotFoundException"/> when the file is absent. The caller disposes the stream.
    /// </summary>
    Task<Stream> OpenReadAsync(string key, long offset, long? length, CancellationToken cancellationToken);

    /// <summary>Removes a file; an absent one is not an error.</summary>
    Task DeleteAsync(string key, CancellationToken cancellationToken);

    /// <summary>Removes every file whose key starts with <paramref name="prefix"/> (which ends with <c>/</c>).</summary>
    Task DeletePrefixAsync(string prefix, CancellationToken cancellationToken);

    /// <summary>Every file under <paramref name="prefix"/> ("" for all), temporary ones included, in no particular order.</summary>
    IAsyncEnumerable<StoredFile> ListAsync(string prefix, CancellationToken cancellationToken);
}
