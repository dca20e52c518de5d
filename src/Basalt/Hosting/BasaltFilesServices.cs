using Basalt.Files;
using Basalt.Files.Thumbs;
using Basalt.Records;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Basalt.Hosting;

/// <summary>
/// Registers file storage: the local folder <c>DATA/storage</c> (unless the host gave its own <see cref="IFileStorage"/>),
/// the provider that swaps in the S3 bucket of the settings, record uploads, downloads, file tokens, the S3 check of the
/// settings and the start-up sweep.
/// </summary>
public static class BasaltFilesServices
{
    public static IServiceCollection AddBasaltFiles(this IServiceCollection services)
    {
        services.TryAddSingleton<IFileStorage>(sp => new LocalFileStorage(Path.Combine(sp.GetRequiredService<IOptions<BasaltOptions>>().Value.DataDir, "storage")));
        services.AddSingleton<FileStorageProvider>();
        services.AddSingleton<FileDeletions>();
        services.AddSingleton<S3StorageCheck>();
        services.AddSingleton<IRecordFiles, RecordFileStore>();
        services.AddSingleton<ThumbService>();
        services.AddSingleton<FileService>();
        services.AddSingleton<FileTokens>();
        services.AddSingleton<FileSweeper>();
        services.AddHostedService(sp => sp.GetRequiredService<FileSweeper>());
        return services;
    }
}
