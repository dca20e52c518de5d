using System.Security.Cryptography;
using Basalt.Errors;
using Basalt.Settings;

namespace Basalt.Files;

/// <summary>
/// <c>POST /api/settings/test/s3</c> (§11): stores a small object in the bucket of the saved <c>s3</c> (or
/// <c>backups.s3</c>) settings and deletes its prefix again, which needs put, list and delete to work, as PocketBase's
/// check does. Every failure is a 400 whose message carries the S3 error, since the settings screen shows it to fix them.
/// </summary>
public sealed class S3StorageCheck(SettingsService settings)
{
    public const string Storage = "storage";
    public const string Backups = "backups";
    public const string Failed = "Failed to test the S3 filesystem.";

    /// <summary>The check answers in seconds, not after the SDK's long default waits, even for an endpoint that never answers.</summary>
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    public async Task RunAsync(string? filesystem, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(filesystem))
        {
            throw ApiError.Field(Failed, "filesystem", "validation_required", "Cannot be blank.");
        }

        if (filesystem is not (Storage or Backups))
        {
            throw ApiError.Field(Failed, "filesystem", "validation_in_invalid", "Must be a valid value.");
        }

        var current = await settings.GetAsync(cancellationToken);
        var s3 = filesystem == Backups ? current.Backups.S3 : current.S3;
        if (!s3.Enabled)
        {
            throw Raw($"S3 {filesystem} filesystem is not enabled in the settings ({(filesystem == Backups ? "backups.s3" : "s3")}.enabled is false)");
        }

        using var storage = new S3FileStorage(s3, attempts: 1, Timeout);
        var prefix = "pb_settings_test_" + RandomNumberGenerator.GetString("abcdefghijklmnopqrstuvwxyz0123456789", 5) + "/";
        try
        {
            using var content = new MemoryStream("test"u8.ToArray(), writable: false);
            await storage.PutAsync(prefix + "test.txt", content, FileSniffer.PlainText, cancellationToken);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            throw Raw($"failed to upload a test file to bucket {s3.Bucket} at {s3.Endpoint}: {Describe(e)}");
        }

        try
        {
            await storage.DeletePrefixAsync(prefix, cancellationToken);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            throw Raw($"failed to delete a test file from bucket {s3.Bucket} at {s3.Endpoint}: {Describe(e)}");
        }
    }

    /// <summary>PocketBase's form of a failed check: the fixed sentence, then the cause.</summary>
    private static ApiError Raw(string cause) => ApiError.BadRequest(Failed + " Raw error: \n" + cause + ".");

    /// <summary>The S3 error (code and message), or the network failure under the SDK's wrapper.</summary>
    private static string Describe(Exception e)
    {
        var message = e.Message;
        if (e is Amazon.Runtime.AmazonServiceException { ErrorCode: { Length: > 0 } code })
        {
            message = code + ": " + message;
        }

        for (var inner = e.InnerException; inner is not null; inner = inner.InnerException)
        {
            if (!message.Contains(inner.Message, StringComparison.Ordinal))
            {
                message += " (" + inner.Message + ")";
            }
        }

        return message.TrimEnd('.');
    }
}
