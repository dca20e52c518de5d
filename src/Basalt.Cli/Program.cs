using Basalt.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddBasalt();
var app = builder.Build();
app.MapBasalt();
await app.RunAsync();
