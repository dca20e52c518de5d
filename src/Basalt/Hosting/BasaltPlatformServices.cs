using Basalt.Api;
using Basalt.Auth;
using Basalt.Auth.OAuth2;
using Basalt.Http;
using Basalt.Query;
using Basalt.Storage.Tables;
using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Basalt.Hosting;

/// <summary>Registers the cross-cutting services: tokens and auth flows, superusers, CORS, and bad-input handling.</summary>
internal static class BasaltPlatformServices
{
    public const string CorsPolicy = "basalt";

    private static readonly string[] CorsMethods = ["GET", "HEAD", "PUT", "PATCH", "POST", "DELETE"];

    public static IServiceCollection AddBasaltPlatform(this IServiceCollection services)
    {
        services.AddSingleton<TokenService>();
        services.AddSingleton<RecordStore>();
        services.AddSingleton<AuthRecordStore>();
        services.AddSingleton<AuthRuleChecker>();
        services.AddSingleton<AuthService>();
        services.AddSingleton<SignInService>();
        services.AddHttpClient(OAuth2Http.ClientName, c => c.Timeout = TimeSpan.FromSeconds(15));
        services.AddSingleton<OAuth2Http>();
        services.AddSingleton<ExternalAuthStore>();
        services.AddSingleton<OAuth2SignInService>();
        services.AddSingleton<AuthStateStore>();
        services.AddSingleton<MfaService>();
        services.AddSingleton<LoginAlertService>();
        services.AddSingleton<OtpAttemptLimiter>();
        services.AddSingleton<OtpService>();
        services.AddSingleton<ClientIpResolver>();
        services.AddSingleton<ClientReadSlots>();
        services.AddSingleton<SuperuserService>();
        services.TryAddSingleton<RecordQueryCompiler>();

        // Minimal APIs answer a failed body or parameter binding with a bare 400/415 unless told to throw;
        // throwing lets ApiExceptionHandler write the envelope.
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);

        services.AddCors();
        services.AddOptions<CorsOptions>().Configure<IOptions<BasaltOptions>>((cors, basalt) =>
            cors.AddPolicy(CorsPolicy, policy =>
            {
                var origins = basalt.Value.Origins.Where(o => o.Length > 0).ToArray();
                if (origins.Length == 0 || origins.Contains("*"))
                {
                    policy.AllowAnyOrigin();
                }
                else
                {
                    policy.WithOrigins(origins);
                }

                policy.WithMethods(CorsMethods).AllowAnyHeader();
            }));
        return services;
    }
}
