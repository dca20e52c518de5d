using Basalt.Tests.Fixtures;
using Xunit.Abstractions;

namespace Basalt.Dashboard.Tests;

/// <summary>
/// The work before the sign-in form, counted with the runtime's own interpreter trace (<c>--trace</c>): every method
/// the interpreter enters is logged to the console, and the page keeps the distinct ones until the app's form is in the DOM
/// (bench/README.md, dashboard first load). Each distinct method is one the interpreter has to translate first.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class StartTraceTests(BrowserFixture browser, SqliteServerFixture server, ITestOutputHelper output) : IClassFixture<SqliteServerFixture>
{
    /// <summary>What only System.Text.Json's reflection-based serializer runs: building a type's metadata from reflection.</summary>
    private const string ReflectionSerializer = "System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver:CreateJsonTypeInfo ";

    [Fact]
    public async Task The_sign_in_form_comes_before_the_reflection_serializer_is_set_up()
    {
        // The trace needs the runtime option at start, so index.html starts Blazor itself (an inline script: CSP bypassed).
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = server.BaseAddress.ToString(), BypassCSP = true });
        context.SetDefaultTimeout(120_000);
        var page = await context.NewPageAsync();
        await page.RouteAsync("**/_/", async route =>
        {
            var response = await route.FetchAsync();
            var html = (await response.TextAsync())
                .Replace("<script src=\"_framework/blazor.webassembly", "<script autostart=\"false\" src=\"_framework/blazor.webassembly", StringComparison.Ordinal)
                .Replace("</body>", "<script>Blazor.start({ configureRuntime: (b) => b.withRuntimeOptions(['--trace']) });</script></body>", StringComparison.Ordinal);
            await route.FulfillAsync(new RouteFulfillOptions { Response = response, Body = html });
        });
        // Trace lines are kept from the console (sending them to the test would take minutes); a method is its name and
        // signature, without the argument values that follow.
        await page.AddInitScriptAsync("""
            (() => {
              const seen = new Set(); let done = false;
              window.__methods = seen;
              for (const name of ['log', 'debug', 'info']) {
                const original = console[name];
                console[name] = function (...args) {
                  const line = args[0];
                  if (typeof line === 'string' && /\] (ENTER|LEAVE):/.test(line)) {
                    if (!done && line.includes('] ENTER:')) {
                      const method = line.replace(/^.*?ENTER:\S*\s/, '');
                      const end = method.indexOf(')(');
                      seen.add(end < 0 ? method : method.slice(0, end + 1));
                    }
                    return;
                  }
                  return original.apply(this, args);
                };
              }
              // The app's own form: index.html's static one (js/boot.js) is there long before.
              new MutationObserver((_, observer) => {
                if (document.querySelector('#app #email')) { done = true; observer.disconnect(); }
              }).observe(document, { childList: true, subtree: true });
            })();
            """);

        await page.GotoAsync("/_/");
        await page.Locator("#app #email").WaitForAsync();
        var methods = await page.EvaluateAsync<string[]>("() => [...window.__methods]");

        output.WriteLine($"methods run before the sign-in form: {methods.Length}, of them in System.Text.Json {methods.Count(m => m.StartsWith("System.Text.Json", StringComparison.Ordinal))}");
        Assert.True(methods.Length > 1000, $"the trace caught {methods.Length} methods: is --trace still a runtime option?");
        Assert.DoesNotContain(methods, m => m.StartsWith(ReflectionSerializer, StringComparison.Ordinal));
    }
}
