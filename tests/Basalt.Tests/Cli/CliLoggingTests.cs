using System.Diagnostics;
using Basalt.Cli;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Basalt.Tests.Cli;

/// <summary>The CLI's logging: quiet framework, Basalt at its level, and no per-request Activity when nothing traces.</summary>
[Collection(nameof(Hosting.ActivityListenersCollection))]
public sealed class CliLoggingTests
{
    [Fact]
    public async Task A_request_served_with_the_cli_logging_starts_no_activity()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        CliLogging.Configure(builder.Logging, CliArguments.Parse([]), toStandardError: false);
        await using var app = builder.Build();
        var seen = new List<Activity?>();
        app.Run(context =>
        {
            lock (seen)
            {
                seen.Add(Activity.Current);
            }

            return context.Response.WriteAsync("ok");
        });
        await app.StartAsync();

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        using var client = new HttpClient { BaseAddress = new Uri(address) };
        Assert.Equal("ok", await client.GetStringAsync("/"));
        Assert.Equal([null], seen);

        var logs = app.Services.GetRequiredService<ILoggerFactory>();
        Assert.True(logs.CreateLogger("Microsoft.AspNetCore.Server.Kestrel").IsEnabled(LogLevel.Warning));
        Assert.True(logs.CreateLogger("Basalt.Api").IsEnabled(LogLevel.Information));
        Assert.False(logs.CreateLogger("Microsoft.AspNetCore.Hosting.Diagnostics").IsEnabled(LogLevel.Critical));
    }
}
