using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;

namespace Basalt.Api;

/// <summary>The whole API on one screen: every capability maps its group here, in a fixed order.</summary>
public static class BasaltEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api");
        CollectionsEndpoints.Map(api);
        ExpressionCheckEndpoints.Map(api);
        RecordsTransferEndpoints.Map(api);
        SqlEndpoints.Map(api);
        InstallEndpoints.Map(api);
        RecordsEndpoints.Map(api);
        AuthEndpoints.Map(api);
        AuthOtpEndpoints.Map(api);
        AuthEmailEndpoints.Map(api);
        OAuth2Endpoints.Map(api);
        SettingsEndpoints.Map(api);
        RealtimeEndpoints.Map(api);
        OAuth2RedirectEndpoints.Map(api);
        LogsEndpoints.Map(api);
        BatchEndpoints.Map(api);
        FilesEndpoints.Map(api);
        BackupsEndpoints.Map(api);
        CronsEndpoints.Map(api);
        HealthEndpoints.Map(api);
        OpenApiEndpoints.Map(api);
    }
}
