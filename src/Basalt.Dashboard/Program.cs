using Basalt.Client;
using Basalt.Client.Auth;
using Basalt.Dashboard;
using Basalt.Dashboard.Services;
using Microsoft.AspNetCore.Components.WebAssembly.Hosting;

var builder = WebAssemblyHostBuilder.CreateDefault(args);
builder.RootComponents.Add<App>("#app");

// The API is on the dashboard's own origin: /_/ is served by the same Basalt.
var origin = new Uri(new Uri(builder.HostEnvironment.BaseAddress), "/");
builder.Services.AddSingleton(new HttpClient { BaseAddress = origin });
builder.Services.AddSingleton<Browser>();
builder.Services.AddSingleton(new AuthStore(new BrowserAuthStorage()));
builder.Services.AddSingleton(sp => new BasaltClient(sp.GetRequiredService<HttpClient>(), origin, sp.GetRequiredService<AuthStore>()));
builder.Services.AddSingleton<Schema>();
builder.Services.AddSingleton<Toasts>();

var host = builder.Build();
await host.Services.GetRequiredService<AuthStore>().LoadAsync();
await host.RunAsync();
