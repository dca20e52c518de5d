using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Realtime;

/// <summary>The few Basalt calls the benchmark makes as the superuser: collections, users, tokens.</summary>
internal sealed class Api(HttpClient http)
{
    private string _token = "";

    public async Task SignInAsync(string email, string password)
    {
        var body = await SendAsync(HttpMethod.Post, "/api/collections/_superusers/auth-with-password", new JsonObject { ["identity"] = email, ["password"] = password });
        _token = body!["token"]!.GetValue<string>();
    }

    /// <summary>A fresh base collection with a title, readable under <paramref name="listRule"/>, creatable by anyone.</summary>
    public async Task<string> CreatePostsAsync(string listRule)
    {
        var name = "bench_posts_" + Guid.NewGuid().ToString("N")[..8];
        await SendAsync(HttpMethod.Post, "/api/collections", new JsonObject
        {
            ["name"] = name,
            ["type"] = "base",
            ["fields"] = new JsonArray(new JsonObject { ["name"] = "title", ["type"] = "text" }),
            ["listRule"] = listRule,
            ["viewRule"] = listRule,
            ["createRule"] = "",
        });
        return name;
    }

    /// <summary>An auth collection with <paramref name="count"/> users, and a token for each (by impersonation, no bcrypt).</summary>
    public async Task<List<string>> UsersAsync(int count)
    {
        const string members = "bench_members";
        if (await SendAsync(HttpMethod.Get, "/api/collections/" + members, null, allowMissing: true) is null)
        {
            await SendAsync(HttpMethod.Post, "/api/collections", new JsonObject { ["name"] = members, ["type"] = "auth", ["fields"] = new JsonArray() });
        }

        await SendAsync(HttpMethod.Patch, "/api/settings", new JsonObject { ["batch"] = new JsonObject { ["enabled"] = true, ["maxRequests"] = 50, ["timeout"] = 30 } });
        var ids = await IdsAsync(members);
        var batches = new List<Task>();
        for (var start = ids.Count; start < count; start += 50)
        {
            var requests = new JsonArray();
            for (var i = start; i < Math.Min(count, start + 50); i++)
            {
                requests.Add(new JsonObject
                {
                    ["method"] = "POST",
                    ["url"] = $"/api/collections/{members}/records",
                    ["body"] = new JsonObject { ["email"] = $"member{i}@example.com", ["password"] = "member-password-1", ["passwordConfirm"] = "member-password-1" },
                });
            }

            batches.Add(SendAsync(HttpMethod.Post, "/api/batch", new JsonObject { ["requests"] = requests }));
            if (batches.Count == 4)
            {
                await Task.WhenAll(batches);
                batches.Clear();
            }
        }

        await Task.WhenAll(batches);
        ids = await IdsAsync(members);
        var tokens = new List<string>(count);
        foreach (var id in ids.Take(count))
        {
            var body = await SendAsync(HttpMethod.Post, $"/api/collections/{members}/impersonate/{id}", new JsonObject { ["duration"] = 7200 });
            tokens.Add(body!["token"]!.GetValue<string>());
        }

        return tokens;
    }

    private async Task<List<string>> IdsAsync(string collection)
    {
        var ids = new List<string>();
        for (var page = 1; ; page++)
        {
            var body = await SendAsync(HttpMethod.Get, $"/api/collections/{collection}/records?page={page}&perPage=1000&skipTotal=1&fields=id&sort=id", null);
            var items = body!["items"]!.AsArray();
            ids.AddRange(items.Select(i => i!["id"]!.GetValue<string>()));
            if (items.Count < 1000)
            {
                return ids;
            }
        }
    }

    private async Task<JsonNode?> SendAsync(HttpMethod method, string url, JsonObject? body, bool allowMissing = false)
    {
        using var request = new HttpRequestMessage(method, url);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        if (_token.Length > 0)
        {
            request.Headers.TryAddWithoutValidation("Authorization", _token);
        }

        using var response = await http.SendAsync(request);
        if (allowMissing && response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }

        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{method} {url}: {(int)response.StatusCode} {text}");
        }

        return text.Length == 0 ? null : JsonNode.Parse(text);
    }
}
