using System.Text.Json.Nodes;
using Basalt.Client;

namespace Basalt.Dashboard.Services;

/// <summary>The collections as the server last listed them, shared by the sidebar and the pages; reloaded after every change.</summary>
public sealed class Schema(BasaltClient client)
{
    private List<JsonObject> _collections = [];

    public event Action? Changed;

    public IReadOnlyList<JsonObject> Collections => _collections;

    public bool Loaded { get; private set; }

    public async Task ReloadAsync()
    {
        _collections = (await client.Collections.GetFullListAsync(new ListOptions { Sort = "name" }))
            .OrderBy(c => Json.Str(c, "name"), StringComparer.OrdinalIgnoreCase).ToList();
        Loaded = true;
        Changed?.Invoke();
    }

    public async Task EnsureLoadedAsync()
    {
        if (!Loaded)
        {
            await ReloadAsync();
        }
    }

    public JsonObject? Find(string idOrName) =>
        _collections.FirstOrDefault(c => Json.Str(c, "name") == idOrName || Json.Str(c, "id") == idOrName);

    public void Clear()
    {
        _collections = [];
        Loaded = false;
        Changed?.Invoke();
    }
}
