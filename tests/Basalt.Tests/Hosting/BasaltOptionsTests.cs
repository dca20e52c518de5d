using Basalt.Hosting;
using Basalt.Storage;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace Basalt.Tests.Hosting;

/// <summary>Options are checked when the host starts, and a host's own origins replace the "any origin" default.</summary>
public sealed class BasaltOptionsTests
{
    [Theory]
    [InlineData("origin-path")]
    [InlineData("origin-scheme")]
    [InlineData("body-size")]
    [InlineData("database")]
    [InlineData("durability")]
    [InlineData("data-dir")]
    [InlineData("reads-per-client")]
    [InlineData("client-reads")]
    [InlineData("read-timeout")]
    public async Task A_bad_option_stops_the_host_at_start_naming_the_option(string bad)
    {
        var (option, configure) = bad switch
        {
            "origin-path" => ("Origins", (Action<BasaltOptions>)(o => o.Origins.Add("https://app.example.com/path"))),
            "origin-scheme" => ("Origins", o => o.Origins.Add("ftp://app.example.com")),
            "body-size" => ("MaxBodySize", o => o.MaxBodySize = 0),
            "database" => ("Database", o => o.Database = "postgres://[bad"),
            "durability" => ("Durability", o => o.Durability = (Durability)7),
            "reads-per-client" => ("MaxConcurrentReadsPerClient", o => o.MaxConcurrentReadsPerClient = 0),
            "client-reads" => ("MaxConcurrentClientReads", o => o.MaxConcurrentClientReads = -1),
            "read-timeout" => ("ReadTimeout", o => o.ReadTimeout = TimeSpan.FromDays(60)),
            _ => ("DataDir", (Action<BasaltOptions>)(o => o.DataDir = " ")),
        };

        await using var app = Build(o =>
        {
            o.DataDir = TempDir();
            configure(o);
        });
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());
        Assert.Contains(option, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_host_that_names_an_origin_allows_only_that_origin()
    {
        await using var app = Build(o =>
        {
            o.DataDir = TempDir();
            o.Origins.Add("https://app.example.com");
        });
        await app.StartAsync();
        using var client = new HttpClient { BaseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()) };

        Assert.Equal("https://app.example.com", await AllowedOriginAsync(client, "https://app.example.com"));
        Assert.Null(await AllowedOriginAsync(client, "https://evil.example.com"));
        await app.StopAsync();
    }

    [Fact]
    public async Task Without_origins_any_origin_is_allowed()
    {
        await using var app = Build(o => o.DataDir = TempDir());
        await app.StartAsync();
        using var client = new HttpClient { BaseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()) };

        Assert.Equal("*", await AllowedOriginAsync(client, "https://anywhere.example.com"));
        await app.StopAsync();
    }

    private static async Task<string?> AllowedOriginAsync(HttpClient client, string origin)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/health");
        request.Headers.Add("Origin", origin);
        using var response = await client.SendAsync(request);
        return response.Headers.TryGetValues("Access-Control-Allow-Origin", out var values) ? values.Single() : null;
    }

    private static WebApplication Build(Action<BasaltOptions> configure)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddBasalt(configure);
        var app = builder.Build();
        app.MapBasalt();
        return app;
    }

    private static string TempDir() => Path.Combine(Path.GetTempPath(), "basalt-options-" + Guid.NewGuid().ToString("N")[..10]);
}
