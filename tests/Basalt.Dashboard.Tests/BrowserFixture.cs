using Basalt.Tests.Fixtures;

namespace Basalt.Dashboard.Tests;

/// <summary>
/// One headless Debian chromium (<c>apt-get install chromium</c>; Playwright never downloads a browser here) for every
/// dashboard test; each test gets a context of its own, so localStorage and cookies never leak between tests.
/// <c>BASALT_CHROMIUM</c> overrides the executable's path.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public static string ExecutablePath => Environment.GetEnvironmentVariable("BASALT_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("not started");

    public async Task InitializeAsync()
    {
        if (!File.Exists(ExecutablePath))
        {
            throw new InvalidOperationException($"No chromium at {ExecutablePath}: install Debian's package (apt-get install -y chromium), as ./test does.");
        }

        // A loaded 2-core machine starts WebAssembly slowly; expectations wait as long as actions do.
        Assertions.SetDefaultExpectTimeout(30_000);
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-dev-shm-usage"],
        });
    }

    /// <summary>A fresh page on <paramref name="server"/>'s dashboard, with a generous timeout for a loaded machine's first WebAssembly start.</summary>
    public async Task<IPage> NewPageAsync(BasaltServerFixture server, int width = 1200, int height = 760, string? colorScheme = null)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = server.BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = width, Height = height },
            ColorScheme = colorScheme == "dark" ? ColorScheme.Dark : ColorScheme.Light,
        });
        context.SetDefaultTimeout(60_000);
        var page = await context.NewPageAsync();
        return page;
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
    }
}

/// <summary>The dashboard tests share one browser and run one class at a time (2 cores: the browser is the heavy part).</summary>
[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "browser";
}
