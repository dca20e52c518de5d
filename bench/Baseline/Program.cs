using Baseline;

// bench/Baseline: the four benchmark workloads written by hand over the same table Basalt uses.
//   dotnet Baseline.dll --urls http://127.0.0.1:PORT --table NAME (--sqlite PATH | --postgres CONNSTRING)
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
var config = builder.Configuration;
var table = config["table"] ?? throw new InvalidOperationException("--table is required");
var store = config["postgres"] is { Length: > 0 } pg
    ? (IBenchStore)new PostgresBenchStore(pg, table)
    : new SqliteBenchStore(config["sqlite"] ?? throw new InvalidOperationException("--sqlite or --postgres is required"), table);

var app = builder.Build();
app.Lifetime.ApplicationStopping.Register(() => (store as IDisposable)?.Dispose());

app.MapGet("/api/health", () => Results.Json(new { message = "ok", code = 200 }));

app.MapGet("/api/collections/{collection}/records", async (HttpContext ctx, CancellationToken ct) =>
{
    var q = ctx.Request.Query;
    var page = int.TryParse(q["page"], out var p) && p > 0 ? p : 1;
    var perPage = int.TryParse(q["perPage"], out var pp) && pp > 0 ? Math.Min(pp, 1000) : 30;
    var filter = BenchFilter.Parse(q["filter"], q["sort"]);
    var result = await store.ListAsync(page, perPage, filter, ct);
    await RecordJson.WriteListAsync(ctx.Response, table, page, perPage, result, ct);
});

app.MapGet("/api/collections/{collection}/records/{id}", async (HttpContext ctx, string id, CancellationToken ct) =>
{
    var row = await store.GetAsync(id, ct);
    if (row is null)
    {
        ctx.Response.StatusCode = 404;
        return;
    }

    await RecordJson.WriteOneAsync(ctx.Response, table, row, ct);
});

app.MapPost("/api/collections/{collection}/records", async (HttpContext ctx, CancellationToken ct) =>
{
    var input = await ctx.Request.ReadFromJsonAsync<BenchInput>(ct);
    if (input is null || string.IsNullOrEmpty(input.Title))
    {
        ctx.Response.StatusCode = 400;
        return;
    }

    var row = await store.CreateAsync(input, ct);
    await RecordJson.WriteOneAsync(ctx.Response, table, row, ct);
});

await app.RunAsync();
