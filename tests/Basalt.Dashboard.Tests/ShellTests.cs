using Basalt.Tests.Fixtures;
using Xunit.Abstractions;

namespace Basalt.Dashboard.Tests;

/// <summary>The shell: the dashboard is served at /_/, sign in and out, the state kept across reloads, the sidebar (search, pins), the theme, phone width.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ShellTests(BrowserFixture browser, SqliteServerFixture server, ITestOutputHelper output) : IClassFixture<SqliteServerFixture>
{
    /// <summary>
    /// The budget of issue 14: a trimmed, compressed first load under 3 MB. Its times are printed, not asserted
    /// (bench/README.md): the sign-in form taking input (index.html's static form, or the app's where there is none)
    /// and the app's first render. <c>BASALT_FIRST_LOAD_URL</c> measures another server's dashboard instead, such as
    /// the Native AOT <c>./basalt serve</c>.
    /// </summary>
    [Fact]
    public async Task The_first_load_stays_under_3_MB_compressed()
    {
        var page = await browser.NewPageAsync(server);
        var sizes = new List<Task<long>>();
        page.RequestFinished += (_, request) => sizes.Add(BodySizeAsync(request));
        // On the page's own clock (no round trip to the test): the form is in the page, its handler attached in the
        // same task (a mutation observer runs after that task); the app has rendered into #app.
        await page.AddInitScriptAsync("""
            new MutationObserver((_, observer) => {
              window.__formAt ??= document.getElementById('email') ? performance.now() : undefined;
              const app = document.getElementById('app');
              if (app && [...app.children].some((child) => !child.classList.contains('boot'))) {
                window.__appAt = performance.now();
                observer.disconnect();
              }
            }).observe(document, { childList: true, subtree: true });
            """);
        // The page's own CPU time (thread time, not wall time): on a shared, loaded machine the wall time mostly
        // measures the wait for a core, this the work the page does.
        var cdp = await page.Context.NewCDPSessionAsync(page);
        await cdp.SendAsync("Performance.enable", new Dictionary<string, object> { ["timeDomain"] = "threadTicks" });

        await page.GotoAsync(Environment.GetEnvironmentVariable("BASALT_FIRST_LOAD_URL") ?? "/_/");
        await page.WaitForFunctionAsync("() => window.__appAt !== undefined && document.getElementById('email') !== null");
        var cpu = await CpuAsync(cdp);
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        var bytes = (await Task.WhenAll(sizes)).Sum();
        var times = await page.EvaluateAsync<double[]>("[window.__formAt, window.__appAt]");

        output.WriteLine($"first load: {sizes.Count} requests, {bytes / 1024.0 / 1024.0:0.00} MB compressed, sign-in form taking input after {times[0]:0} ms, the app rendered after {times[1]:0} ms (from navigation)");
        output.WriteLine(cpu);
        output.WriteLine(await FirstLoadPhasesAsync(page));
        Assert.True(bytes < 3 * 1024 * 1024, $"first load is {bytes} bytes");
    }

    /// <summary>The CPU the page's main thread and its renderer process had used when the app had rendered (CDP Performance metrics).</summary>
    private static async Task<string> CpuAsync(ICDPSession cdp)
    {
        var metrics = (await cdp.SendAsync("Performance.getMetrics"))?.GetProperty("metrics").EnumerateArray()
            .ToDictionary(m => m.GetProperty("name").GetString() ?? "", m => m.GetProperty("value").GetDouble()) ?? [];
        return $"cpu until the app rendered: main thread {metrics.GetValueOrDefault("ThreadTime") * 1000:0} ms, renderer process {metrics.GetValueOrDefault("ProcessTime") * 1000:0} ms";
    }

    /// <summary>
    /// Where the first load's time went, from the page's resource timings: the HTML, the last framework file, the
    /// runtime's wasm, the first API call (the app is running), the form and the app's first render (bench/README.md).
    /// </summary>
    private static Task<string> FirstLoadPhasesAsync(IPage page) => page.EvaluateAsync<string>("""
        () => {
          const r = performance.getEntriesByType('resource');
          const nav = performance.getEntriesByType('navigation')[0];
          const end = (f) => Math.round(Math.max(0, ...r.filter(f).map((e) => e.responseEnd)));
          const wasm = r.find((e) => /dotnet\.native\..*wasm/.test(e.name));
          const api = r.filter((e) => e.name.includes('/api/')).map((e) => e.startTime);
          const boot = r.find((e) => /\/js\/boot\./.test(e.name));
          return `phases (ms from navigation): html ${Math.round(nav.responseEnd)}, `
            + `runtime wasm ${wasm ? Math.round(wasm.startTime) + '-' + Math.round(wasm.responseEnd) : '?'}, `
            + `boot.js ${boot ? Math.round(boot.startTime) + '-' + Math.round(boot.responseEnd) : '-'}, `
            + `last framework file ${end((e) => e.name.includes('/_framework/'))}, `
            + `first API call ${api.length ? Math.round(Math.min(...api)) : '-'}, form ${Math.round(window.__formAt ?? -1)}, app ${Math.round(window.__appAt ?? -1)}; `
            + `encodings: ${[...new Set(r.map((e) => e.encodedBodySize < e.decodedBodySize ? 'compressed' : 'plain'))].join('/')}`;
        }
        """);

    /// <summary>
    /// PocketBase-style hash links (/_/#/…) are translated to a route of the dashboard; one that resolves elsewhere
    /// (another host, protocol-relative or absolute) must not be followed, or /_/#///evil.example is an open redirect.
    /// </summary>
    [Theory]
    [InlineData("//localhost:{0}/api/health")]
    [InlineData("http://localhost:{0}/api/health")]
    [InlineData("/../api/health")]
    public async Task A_hash_link_that_leaves_the_dashboard_lands_on_the_dashboard(string target)
    {
        var page = await browser.NewPageAsync(server);

        await page.GotoAsync("/_/#/" + string.Format(System.Globalization.CultureInfo.InvariantCulture, target, server.BaseAddress.Port));
        await page.GetByLabel("Email").WaitForAsync();

        Assert.StartsWith(server.BaseAddress + "_/", page.Url, StringComparison.Ordinal);
    }

    /// <summary>The page to return to after signing in is the link's to choose too: backslashes read as slashes.</summary>
    [Theory]
    [InlineData("%2F%5Clocalhost:{0}/api/health")]
    [InlineData("%5C%5Clocalhost:{0}/api/health")]
    [InlineData("javascript:alert(1)")]
    [InlineData("%01/%09/localhost:{0}/api/health")]
    [InlineData("java%09script:alert(1)")]
    public async Task Signing_in_never_returns_to_another_host(string next)
    {
        var page = await browser.NewPageAsync(server);
        await page.GotoAsync("/_/login?next=" + string.Format(System.Globalization.CultureInfo.InvariantCulture, next, server.BaseAddress.Port));
        await page.GetByLabel("Email").FillAsync(BasaltServerFixture.SuperuserEmail);
        await page.GetByLabel("Password").FillAsync(BasaltServerFixture.SuperuserPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.Locator("#sign-out").WaitForAsync();

        Assert.StartsWith(server.BaseAddress + "_/", page.Url, StringComparison.Ordinal);
    }

    /// <summary>
    /// With a session stored, /login goes on to next at once, with no click: browsers drop tabs and strip leading
    /// control characters that .NET keeps, so %01/%09/host must not pass as a page of the dashboard.
    /// </summary>
    [Theory]
    [InlineData("%01/%09/localhost:{0}/api/health")]
    [InlineData("%09/localhost:{0}/api/health")]
    [InlineData("java%09script:alert(1)")]
    public async Task A_signed_in_login_link_never_goes_to_another_host(string next)
    {
        var page = await browser.NewPageAsync(server);
        await Dashboard.SignInAsync(page);

        await page.GotoAsync("/_/login?next=" + string.Format(System.Globalization.CultureInfo.InvariantCulture, next, server.BaseAddress.Port));
        await page.Locator("#sign-out").WaitForAsync();

        Assert.StartsWith(server.BaseAddress + "_/", page.Url, StringComparison.Ordinal);
        Assert.DoesNotContain("api/health", page.Url, StringComparison.Ordinal);
    }

    private static async Task<long> BodySizeAsync(IRequest request) => (await request.SizesAsync()).ResponseBodySize;

    [Fact]
    public async Task Sign_in_keeps_the_session_across_a_reload_and_sign_out_returns_to_the_form()
    {
        var page = await browser.NewPageAsync(server);
        await Dashboard.SignInAsync(page);
        await page.ReloadAsync();
        await page.Locator("#sign-out").WaitForAsync();
        var stored = await page.EvaluateAsync<string?>("localStorage.getItem('basalt_superuser_auth')");

        await page.Locator("#sign-out").ClickAsync();
        await page.GetByRole(AriaRole.Heading, new() { Name = "Superuser sign in" }).WaitForAsync();
        var cleared = await page.EvaluateAsync<string?>("localStorage.getItem('basalt_superuser_auth')");

        Assert.Contains(BasaltServerFixture.SuperuserEmail, stored);
        Assert.Null(cleared);
    }

    /// <summary>
    /// Without a session the form stands in for the page at its own address (no redirect to /login, which would cost the
    /// first load a navigation through JS interop), and signing in opens the page that was asked for.
    /// </summary>
    [Fact]
    public async Task A_page_opened_without_a_session_shows_the_form_in_its_place_then_the_page()
    {
        var name = await Dashboard.CreatePostsAsync(server, "inplace");
        var page = await browser.NewPageAsync(server);
        var address = server.BaseAddress + "_/collections/" + name;

        await page.GotoAsync(address);
        await page.GetByLabel("Email").WaitForAsync();
        var formAt = page.Url;
        await page.GetByLabel("Email").FillAsync(BasaltServerFixture.SuperuserEmail);
        await page.GetByLabel("Password").FillAsync(BasaltServerFixture.SuperuserPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync(name);
        Assert.Equal(address, formAt);
        Assert.Equal(address, page.Url);
    }

    [Fact]
    public async Task A_wrong_password_shows_an_error_and_stays_on_the_form()
    {
        var page = await browser.NewPageAsync(server);
        await page.GotoAsync("/_/");
        await page.GetByLabel("Email").FillAsync(BasaltServerFixture.SuperuserEmail);
        await page.GetByLabel("Password").FillAsync("wrong-password");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Invalid email or password");
    }

    [Fact]
    public async Task The_sidebar_lists_collections_with_system_ones_apart_and_filters_by_search()
    {
        var first = await Dashboard.CreatePostsAsync(server, "alpha");
        var second = await Dashboard.CreatePostsAsync(server, "beta");
        var page = await browser.NewPageAsync(server);
        await Dashboard.SignInAsync(page);
        var sidebar = page.Locator(".sidebar");
        await Assertions.Expect(sidebar.GetByRole(AriaRole.Link, new() { Name = first })).ToBeVisibleAsync();

        await page.Locator("#collection-search").FillAsync(second);

        await Assertions.Expect(sidebar.GetByRole(AriaRole.Link, new() { Name = second })).ToBeVisibleAsync();
        await Assertions.Expect(sidebar.GetByRole(AriaRole.Link, new() { Name = first })).ToHaveCountAsync(0);
        await page.Locator("#collection-search").FillAsync("_superusers");
        await Assertions.Expect(page.Locator(".system").GetByRole(AriaRole.Link, new() { Name = "_superusers" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Pinned_collections_go_to_a_group_on_top_and_stay_pinned_after_a_reload()
    {
        await Dashboard.CreatePostsAsync(server, "pinless");
        var pinned = await Dashboard.CreatePostsAsync(server, "pinned");
        var page = await browser.NewPageAsync(server);
        await Dashboard.SignInAsync(page);
        var group = page.Locator(".sidebar .pinned");
        await Assertions.Expect(page.Locator(".sidebar").GetByRole(AriaRole.Link, new() { Name = pinned })).ToBeVisibleAsync();
        await Assertions.Expect(group).ToHaveCountAsync(0);

        await page.GetByRole(AriaRole.Button, new() { Name = $"Pin {pinned}", Exact = true }).ClickAsync();
        await Assertions.Expect(group.GetByRole(AriaRole.Link, new() { Name = pinned })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator(".sidebar nav a").First).ToContainTextAsync(pinned);
        await page.ReloadAsync();
        await Assertions.Expect(group.GetByRole(AriaRole.Link, new() { Name = pinned })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator(".sidebar").GetByRole(AriaRole.Link, new() { Name = pinned })).ToHaveCountAsync(1);
        await page.GetByRole(AriaRole.Button, new() { Name = $"Unpin {pinned}", Exact = true }).ClickAsync();

        await Assertions.Expect(group).ToHaveCountAsync(0);
        Assert.Equal("[]", await page.EvaluateAsync<string?>("localStorage.getItem('basalt_pinned_collections')"));
    }

    [Fact]
    public async Task The_theme_follows_the_system_and_the_toggle_keeps_the_choice()
    {
        var page = await browser.NewPageAsync(server, colorScheme: "dark");
        await Dashboard.SignInAsync(page);
        var initial = await page.EvaluateAsync<string>("document.documentElement.dataset.theme");

        await page.Locator("#theme-toggle").ClickAsync();
        await page.ReloadAsync();
        await page.Locator("#sign-out").WaitForAsync();
        var after = await page.EvaluateAsync<string>("document.documentElement.dataset.theme");

        Assert.Equal("dark", initial);
        Assert.Equal("light", after);
    }

    [Fact]
    public async Task At_phone_width_the_menu_button_opens_the_collections()
    {
        var name = await Dashboard.CreatePostsAsync(server, "phone");
        var page = await browser.NewPageAsync(server, width: 390, height: 800);
        await Dashboard.SignInAsync(page);
        var link = page.Locator(".sidebar").GetByRole(AriaRole.Link, new() { Name = name });
        await Assertions.Expect(link).ToBeHiddenAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Menu" }).ClickAsync();
        await link.ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync(name);
    }

    [Fact]
    public async Task The_keyboard_reaches_the_sign_in_form_with_a_visible_focus_ring()
    {
        var page = await browser.NewPageAsync(server);
        await page.GotoAsync("/_/login");
        await page.GetByLabel("Email").WaitForAsync();

        await page.Keyboard.PressAsync("Tab");
        var focused = await page.EvaluateAsync<string>("document.activeElement.id");
        var outline = await page.EvaluateAsync<string>("getComputedStyle(document.activeElement).outlineStyle");

        Assert.Equal("email", focused);
        Assert.Equal("solid", outline);
    }

    [Fact]
    public async Task Assets_are_compressed_and_fingerprinted_and_unknown_paths_fall_back_to_the_app()
    {
        using var http = new HttpClient(new HttpClientHandler { AutomaticDecompression = System.Net.DecompressionMethods.None }) { BaseAddress = server.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/_/");
        request.Headers.AcceptEncoding.ParseAdd("gzip");
        using var index = await http.SendAsync(request);
        var fallback = await http.GetStringAsync("/_/collections/anything/edit");
        var missing = await http.GetAsync("/_/_framework/missing.wasm");
        var redirect = await http.GetAsync("/_");

        Assert.Equal("gzip", index.Content.Headers.ContentEncoding.Single());
        Assert.Equal("no-cache", index.Headers.CacheControl?.ToString());
        Assert.Contains("'wasm-unsafe-eval'", index.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Contains("<base href=\"/_/\">", fallback);
        Assert.Matches(@"_framework/blazor\.webassembly\.[a-z0-9]+\.js", fallback);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("/_/", redirect.RequestMessage?.RequestUri?.AbsolutePath);
    }
}
