using System.Net;
using System.Runtime.CompilerServices;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Basalt.Settings;

namespace Basalt.Files;

/// <summary>
/// Files in an S3-compatible bucket (the <c>s3</c> settings), under the same keys as the local folder. S3 acknowledges a
/// PutObject only once the object is stored durably and makes it visible whole or not at all, so a put needs no
/// temporary object. The sniffed content type goes into the object's metadata at upload, so a download needs no read
/// of the first bytes to label the file; an object without it (copied in from elsewhere) is sniffed as a local file is.
/// </summary>
public sealed class S3FileStorage : IFileStorage, IDisposable
{
    /// <summary>The user metadata (<c>x-amz-meta-basalt-type</c>) that holds the type Basalt sniffed at upload.</summary>
    public const string TypeMetadata = "basalt-type";

    private const int DeleteBatch = 1000; // the most keys one DeleteObjects request takes

    private readonly AmazonS3Client _client;

    /// <param name="attempts">How many times a request is tried before its error is reported (the SDK's retry policy).</param>
    /// <param name="timeout">How long one request may take; null keeps the SDK's default.</param>
    public S3FileStorage(S3Settings settings, int attempts = 3, TimeSpan? timeout = null)
    {
        Settings = settings;
        var config = new AmazonS3Config
        {
            ServiceURL = settings.Endpoint,
            AuthenticationRegion = settings.Region,
            ForcePathStyle = settings.ForcePathStyle,
            MaxErrorRetry = attempts - 1,

            // Checksums only where an operation demands them: S3-compatible servers (s3rver, older MinIO) do not all
            // understand the SDK's default trailing checksums and would store their aws-chunked framing as content.
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        };
        if (timeout is { } t)
        {
            config.Timeout = t;
        }

        _client = new AmazonS3Client(new BasicAWSCredentials(settings.AccessKey, settings.Secret), config);
    }

    /// <summary>The settings this store was made from (the provider makes a new one when they change).</summary>
    public S3Settings Settings { get; }

    public bool IsShared => true;

    private string Bucket => Settings.Bucket;

    public void Dispose() => _client.Dispose();

    public async Task PutAsync(string key, Stream content, string contentType, CancellationToken cancellationToken)
    {
        CheckKey(key);
        if (!content.CanSeek)
        {
            // A signed, unchunked PutObject needs the length and the payload hash before it sends the body.
            await using var buffer = new FileStream(Path.GetTempFileName(), FileMode.Create, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
            await content.CopyToAsync(buffer, cancellationToken);
            buffer.Position = 0;
            await PutSeekableAsync(key, buffer, contentType, cancellationToken);
            return;
        }

        await PutSeekableAsync(key, content, contentType, cancellationToken);
    }

    public async Task<StoredFile?> StatAsync(string key, CancellationToken cancellationToken)
    {
        CheckKey(key);
        try
        {
            var head = await _client.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = Bucket, Key = key }, cancellationToken);
            var type = head.Metadata[TypeMetadata];
            return new StoredFile(key, head.ContentLength, Utc(head.LastModified), string.IsNullOrEmpty(type) ? null : type);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async Task<Stream> OpenReadAsync(string key, long offset, long? length, CancellationToken cancellationToken)
    {
        CheckKey(key);
        if (length == 0)
        {
            return await StatAsync(key, cancellationToken) is null ? throw new FileNotFoundException("No such file.", key) : Stream.Null;
        }

        var request = new GetObjectRequest { BucketName = Bucket, Key = key };
        if (length is { } l)
        {
            request.ByteRange = new ByteRange(offset, offset + l - 1);
        }
        else if (offset > 0)
        {
            request.ByteRange = new ByteRange($"bytes={offset}-");
        }

        try
        {
            var response = await _client.GetObjectAsync(request, cancellationToken);
            return response.ResponseStream;
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            throw new FileNotFoundException("No such file.", key, e);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable)
        {
            // The object is shorter than the offset (an empty file read for sniffing): nothing to read, as from a file.
            return Stream.Null;
        }
    }

    public async Task DeleteAsync(string key, CancellationToken cancellationToken)
    {
        CheckKey(key);
        await _client.DeleteObjectAsync(new DeleteObjectRequest { BucketName = Bucket, Key = key }, cancellationToken);
    }

    public async Task DeletePrefixAsync(string prefix, CancellationToken cancellationToken)
    {
        CheckKey(prefix.TrimEnd('/'));
        var batch = new List<KeyVersion>(DeleteBatch);
        await foreach (var file in ListAsync(prefix, cancellationToken))
        {
            batch.Add(new KeyVersion { Key = file.Key });
            if (batch.Count == DeleteBatch)
            {
                await DeleteBatchAsync(batch, cancellationToken);
                batch.Clear();
            }
        }

        if (batch.Count > 0)
        {
            await DeleteBatchAsync(batch, cancellationToken);
        }
    }

    public async IAsyncEnumerable<StoredFile> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var request = new ListObjectsV2Request { BucketName = Bucket, Prefix = prefix };
        while (true)
        {
            var page = await _client.ListObjectsV2Async(request, cancellationToken);
            foreach (var item in page.S3Objects ?? [])
            {
                yield return new StoredFile(item.Key, item.Size ?? 0, Utc(item.LastModified));
            }

            if (page.IsTruncated != true || string.IsNullOrEmpty(page.NextContinuationToken))
            {
                yield break;
            }

            request.ContinuationToken = page.NextContinuationToken;
        }
    }

    private async Task PutSeekableAsync(string key, Stream content, string contentType, CancellationToken cancellationToken)
    {
        var request = new PutObjectRequest
        {
            BucketName = Bucket,
            Key = key,
            InputStream = content,
            AutoCloseStream = false,
            ContentType = contentType,

            // A plain signed body (its SHA-256 in the signature, which S3 checks) instead of aws-chunked encoding, which
            // not every S3-compatible server decodes.
            UseChunkEncoding = false,
        };
        request.Metadata[TypeMetadata] = contentType;
        await _client.PutObjectAsync(request, cancellationToken);
    }

    private async Task DeleteBatchAsync(List<KeyVersion> keys, CancellationToken cancellationToken)
    {
        var response = await _client.DeleteObjectsAsync(new DeleteObjectsRequest { BucketName = Bucket, Objects = keys, Quiet = true }, cancellationToken);
        if (response.DeleteErrors is { Count: > 0 } errors)
        {
            throw new IOException($"S3 refused to delete {errors.Count} objects, the first {errors[0].Key}: {errors[0].Code} {errors[0].Message}");
        }
    }

    /// <summary>The same keys as the local folder accepts, so no route or stored value can reach outside Basalt's keys.</summary>
    private static void CheckKey(string key)
    {
        if (key.Length == 0 || key.Split('/').Any(s => !FileKeys.IsSafeSegment(s)))
        {
            throw new ArgumentException("Not a valid storage key.", nameof(key));
        }
    }

    /// <summary>The SDK gives times in local time (or unspecified); the stores speak UTC.</summary>
    private static DateTimeOffset Utc(DateTime? time) => time switch
    {
        null => DateTimeOffset.UnixEpoch,
        { Kind: DateTimeKind.Unspecified } t => new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc)),
        { } t => new DateTimeOffset(t.ToUniversalTime()),
    };
}
