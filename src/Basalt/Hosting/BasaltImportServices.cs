using Basalt.PocketBaseImport;
using Microsoft.Extensions.DependencyInjection;

namespace Basalt.Hosting;

/// <summary>Registers the importer of PocketBase data folders and Basalt exports, and the exporter (<c>basalt import</c>, <c>basalt export</c>).</summary>
public static class BasaltImportServices
{
    public static IServiceCollection AddBasaltImport(this IServiceCollection services)
    {
        services.AddSingleton<PocketBaseImporter>();
        services.AddSingleton<BasaltExporter>();
        return services;
    }
}
