using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Basalt.Records.Fields;
using Microsoft.Data.Sqlite;

namespace Basalt.Tests.PocketBaseImport;

/// <summary>
/// A PocketBase v0.23+ data folder built by hand from the reference (§2.1–§2.6): <c>_collections</c> with
/// <c>fields</c> and the options (token secrets included) in <c>options</c>, <c>_params</c> keyed by id, the
/// <c>_superusers</c>, <c>users</c>, <c>_externalAuths</c> and <c>_mfas</c> tables, a base collection <c>notes</c> with a
/// relation and a file, and the file with its <c>.attrs</c> beside it. Tokens are signed as PocketBase 0.23 signs them:
/// HS256 over <c>{id, type: "auth", collectionId, refreshable, exp}</c> with the record's tokenKey followed by the
/// collection's <c>authToken.secret</c>. Tests may bend it (a hostile collection name, a file name that climbs out).
/// </summary>
internal sealed class CurrentFolder : IDisposable
{
    public const string SuperusersId = "pbc_3142635823";
    public const string UsersId = "_pb_users_auth_";
    public const string SuperuserEmail = "root@current.example.com";
    public const string SuperuserPassword = "current-root-pass";
    public const string UserEmail = "carol@current.example.com";
    public const string UserPassword = "carol-password-1";
    public const string SuperuserId = "su0000000000001";
    public const string UserId = "carol0000000001";
    public const string OtherUserId = "dave00000000001";
    public const string NoteId = "note00000000001";
    public const string OtherNoteId = "note00000000002";
    public const string AppName = "Current App";

    /// <param name="damagedSecond">Gives the second note a file whose <c>.attrs</c> MD5 does not match it.</param>
    public CurrentFolder(string? notesName = null, string? attachmentName = null, bool linkAttachment = false, bool damagedSecond = false)
    {
        DamagedSecond = damagedSecond;
        Folder = Path.Combine(Path.GetTempPath(), "basalt-pb023-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(Folder);
        NotesName = notesName ?? "notes_" + Guid.NewGuid().ToString("N")[..6];
        NotesId = "pbc_" + Guid.NewGuid().ToString("N")[..10];
        AttachmentName = attachmentName ?? "plan_a1b2c3d4e5.txt";
        Build(linkAttachment);
    }

    public const string SecondAttachmentName = "second_f6g7h8i9j0.txt";

    public string Folder { get; }

    public bool DamagedSecond { get; }

    public string NotesName { get; }

    public string NotesId { get; }

    public string AttachmentName { get; }

    public byte[] Attachment { get; } = Encoding.UTF8.GetBytes("the plan, as PocketBase stored it\n");

    public string SuperusersSecret { get; } = RandomNumberGenerator.GetString("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 50);

    public string UsersSecret { get; } = RandomNumberGenerator.GetString("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 50);

    public string UserTokenKey { get; } = "carolTokenKey" + new string('k', 37);

    public string SuperuserTokenKey { get; } = "rootTokenKey" + new string('r', 38);

    /// <summary>A token PocketBase 0.23 would issue to <paramref name="id"/> of <paramref name="collectionId"/>.</summary>
    public static string SignAuthToken(string id, string collectionId, string tokenKey, string secret, TimeSpan lifetime)
    {
        var header = Base64Url("""{"alg":"HS256","typ":"JWT"}"""u8.ToArray());
        var exp = DateTimeOffset.UtcNow.Add(lifetime).ToUnixTimeSeconds();
        var payload = Base64Url(Encoding.UTF8.GetBytes(new JsonObject
        {
            ["collectionId"] = collectionId,
            ["exp"] = exp,
            ["id"] = id,
            ["refreshable"] = true,
            ["type"] = "auth",
        }.ToJsonString()));
        var signature = HMACSHA256.HashData(Encoding.UTF8.GetBytes(tokenKey + secret), Encoding.ASCII.GetBytes(header + "." + payload));
        return header + "." + payload + "." + Base64Url(signature);
    }

    public string UserToken() => SignAuthToken(UserId, UsersId, UserTokenKey, UsersSecret, TimeSpan.FromDays(5));

    public string SuperuserToken() => SignAuthToken(SuperuserId, SuperusersId, SuperuserTokenKey, SuperusersSecret, TimeSpan.FromDays(1));

    public void Dispose()
    {
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Security", "CA5351", Justification = "PocketBase writes the MD5 of each file into its .attrs; the folder is built as PocketBase builds it.")]
    private void Build(bool linkAttachment)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(Folder, "data.db")};Pooling=False");
        connection.Open();
        Execute(connection, """
            CREATE TABLE _params (id TEXT PRIMARY KEY NOT NULL, value JSON DEFAULT NULL, created TEXT NOT NULL DEFAULT '', updated TEXT NOT NULL DEFAULT '');
            CREATE TABLE _collections (id TEXT PRIMARY KEY NOT NULL, system BOOLEAN DEFAULT FALSE NOT NULL, type TEXT DEFAULT "base" NOT NULL,
                name TEXT UNIQUE NOT NULL, fields JSON DEFAULT "[]" NOT NULL, indexes JSON DEFAULT "[]" NOT NULL, listRule TEXT DEFAULT NULL,
                viewRule TEXT DEFAULT NULL, createRule TEXT DEFAULT NULL, updateRule TEXT DEFAULT NULL, deleteRule TEXT DEFAULT NULL,
                options JSON DEFAULT "{}" NOT NULL, created TEXT NOT NULL, updated TEXT NOT NULL);
            CREATE TABLE _superusers (id TEXT PRIMARY KEY NOT NULL, password TEXT NOT NULL, tokenKey TEXT NOT NULL, email TEXT NOT NULL,
                emailVisibility BOOLEAN DEFAULT FALSE NOT NULL, verified BOOLEAN DEFAULT FALSE NOT NULL, created TEXT NOT NULL, updated TEXT NOT NULL);
            CREATE TABLE users (id TEXT PRIMARY KEY NOT NULL, password TEXT NOT NULL, tokenKey TEXT NOT NULL, email TEXT NOT NULL,
                emailVisibility BOOLEAN DEFAULT FALSE NOT NULL, verified BOOLEAN DEFAULT FALSE NOT NULL, name TEXT DEFAULT '' NOT NULL,
                created TEXT NOT NULL, updated TEXT NOT NULL);
            CREATE TABLE _externalAuths (id TEXT PRIMARY KEY NOT NULL, collectionRef TEXT NOT NULL, recordRef TEXT NOT NULL, provider TEXT NOT NULL,
                providerId TEXT NOT NULL, created TEXT NOT NULL, updated TEXT NOT NULL);
            CREATE TABLE _mfas (id TEXT PRIMARY KEY NOT NULL, collectionRef TEXT NOT NULL, recordRef TEXT NOT NULL, method TEXT NOT NULL,
                created TEXT NOT NULL, updated TEXT NOT NULL);
            """);
        Execute(connection, $"CREATE TABLE \"{NotesName.Replace("\"", "\"\"", StringComparison.Ordinal)}\" (id TEXT PRIMARY KEY NOT NULL, title TEXT DEFAULT '' NOT NULL, owner TEXT DEFAULT '' NOT NULL, attachment TEXT DEFAULT '' NOT NULL, created TEXT NOT NULL, updated TEXT NOT NULL)");

        const string when = "2025-01-02 03:04:05.678Z";
        Execute(connection, "INSERT INTO _params (id, value, created, updated) VALUES ('settings', @v, @t, @t)", ("@v", new JsonObject
        {
            ["meta"] = new JsonObject { ["appName"] = AppName, ["appURL"] = "https://current.example.com", ["senderName"] = "Current", ["senderAddress"] = "hi@current.example.com" },
            ["batch"] = new JsonObject { ["enabled"] = true, ["maxRequests"] = 20, ["timeout"] = 3, ["maxBodySize"] = 0 },
            ["rateLimits"] = new JsonObject { ["enabled"] = false, ["rules"] = new JsonArray() },
        }.ToJsonString()), ("@t", when));

        Collection(connection, SuperusersId, "_superusers", "auth", system: true, AuthFields([]), Auth(SuperusersSecret, 86400), null);
        Collection(connection, UsersId, "users", "auth", system: false, AuthFields([Field("text", "name")]), Auth(UsersSecret, 604800), "id = @request.auth.id");
        Collection(connection, NotesId, NotesName, "base", system: false, new JsonArray
        {
            Field("text", "id", ("primaryKey", true), ("required", true), ("min", 15), ("max", 15), ("pattern", "^[a-z0-9]+$"), ("autogeneratePattern", "[a-z0-9]{15}")),
            Field("text", "title"),
            Field("relation", "owner", ("collectionId", UsersId), ("maxSelect", 1)),
            Field("file", "attachment", ("maxSelect", 1), ("maxSize", 1000000)),
            Field("autodate", "created", ("onCreate", true), ("onUpdate", false)),
            Field("autodate", "updated", ("onCreate", true), ("onUpdate", true)),
        }, new JsonObject(), "owner = @request.auth.id");
        Collection(connection, "pbc_2281828961", "_externalAuths", "base", system: true, [], new JsonObject(), null);
        Collection(connection, "pbc_2279338944", "_mfas", "base", system: true, [], new JsonObject(), null);

        Execute(connection, "INSERT INTO _superusers VALUES (@id, @p, @k, @e, 0, 1, @t, @t)",
            ("@id", SuperuserId), ("@p", PasswordHasher.Hash(SuperuserPassword, 4)), ("@k", SuperuserTokenKey), ("@e", SuperuserEmail), ("@t", when));
        Execute(connection, "INSERT INTO users VALUES (@id, @p, @k, @e, 1, 1, 'Carol', @t, @t)",
            ("@id", UserId), ("@p", PasswordHasher.Hash(UserPassword, 4)), ("@k", UserTokenKey), ("@e", UserEmail), ("@t", when));
        Execute(connection, "INSERT INTO users VALUES (@id, @p, @k, 'dave@current.example.com', 0, 0, 'Dave', @t, @t)",
            ("@id", OtherUserId), ("@p", PasswordHasher.Hash("dave-password-1", 4)), ("@k", "daveTokenKey" + new string('d', 38)), ("@t", when));
        Execute(connection, $"INSERT INTO \"{NotesName.Replace("\"", "\"\"", StringComparison.Ordinal)}\" VALUES (@id, 'Carol''s plan', @o, @a, @t, @t), (@id2, 'Dave''s plan', @o2, '', @t, @t)",
            ("@id", NoteId), ("@o", UserId), ("@a", AttachmentName), ("@id2", OtherNoteId), ("@o2", OtherUserId), ("@t", when));
        if (DamagedSecond)
        {
            Execute(connection, $"UPDATE \"{NotesName.Replace("\"", "\"\"", StringComparison.Ordinal)}\" SET attachment = @a WHERE id = @id", ("@a", SecondAttachmentName), ("@id", OtherNoteId));
            var second = Path.Combine(Folder, "storage", NotesId, OtherNoteId);
            Directory.CreateDirectory(second);
            File.WriteAllText(Path.Combine(second, SecondAttachmentName), "bytes that changed after PocketBase stored them");
            File.WriteAllText(Path.Combine(second, SecondAttachmentName + ".attrs"), new JsonObject { ["md5"] = Convert.ToBase64String(MD5.HashData(Attachment)) }.ToJsonString());
        }

        Execute(connection, "INSERT INTO _externalAuths VALUES ('ext000000000001', @c, @r, 'google', 'g-123', @t, @t)", ("@c", UsersId), ("@r", UserId), ("@t", when));
        Execute(connection, "INSERT INTO _mfas VALUES ('mfa000000000001', @c, @r, 'password', @t, @t)", ("@c", UsersId), ("@r", UserId), ("@t", when));

        // A name that is not a plain file name is only a value in the record: there is no file to write for it.
        if (AttachmentName.Contains('/', StringComparison.Ordinal) || AttachmentName is "." or "..")
        {
            return;
        }

        var folder = Path.Combine(Folder, "storage", NotesId, NoteId);
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, AttachmentName);
        if (linkAttachment)
        {
            var outside = Path.Combine(Folder, "outside.txt");
            File.WriteAllBytes(outside, Attachment);
            File.CreateSymbolicLink(path, outside);
        }
        else
        {
            File.WriteAllBytes(path, Attachment);
        }

        File.WriteAllText(path + ".attrs", new JsonObject
        {
            ["user.content_type"] = "text/plain; charset=utf-8",
            ["md5"] = Convert.ToBase64String(MD5.HashData(Attachment)),
        }.ToJsonString());
    }

    private static JsonArray AuthFields(JsonObject[] extra)
    {
        var fields = new JsonArray
        {
            Field("text", "id", ("primaryKey", true), ("required", true), ("min", 15), ("max", 15), ("pattern", "^[a-z0-9]+$"), ("autogeneratePattern", "[a-z0-9]{15}")),
            Field("password", "password", ("required", true), ("min", 8), ("cost", 10), ("hidden", true)),
            Field("text", "tokenKey", ("required", true), ("min", 30), ("max", 60), ("autogeneratePattern", "[a-zA-Z0-9]{50}"), ("hidden", true)),
            Field("email", "email", ("required", true)),
            Field("bool", "emailVisibility"),
            Field("bool", "verified"),
        };
        foreach (var field in extra)
        {
            fields.Add(field);
        }

        fields.Add(Field("autodate", "created", ("onCreate", true), ("onUpdate", false)));
        fields.Add(Field("autodate", "updated", ("onCreate", true), ("onUpdate", true)));
        return fields;
    }

    private static JsonObject Auth(string secret, int duration) => new()
    {
        ["authRule"] = "",
        ["manageRule"] = null,
        ["passwordAuth"] = new JsonObject { ["enabled"] = true, ["identityFields"] = new JsonArray("email") },
        ["authToken"] = new JsonObject { ["secret"] = secret, ["duration"] = duration },
        ["fileToken"] = new JsonObject { ["secret"] = secret + "file", ["duration"] = 180 },
    };

    private static JsonObject Field(string type, string name, params (string Key, JsonNode? Value)[] options)
    {
        var field = new JsonObject
        {
            ["id"] = type + Math.Abs(name.GetHashCode(StringComparison.Ordinal)),
            ["name"] = name,
            ["type"] = type,
            ["system"] = name is "id" or "password" or "tokenKey" or "email" or "emailVisibility" or "verified",
            ["hidden"] = false,
            ["presentable"] = false,
        };
        foreach (var (key, value) in options)
        {
            field[key] = value;
        }

        return field;
    }

    private static void Collection(SqliteConnection connection, string id, string name, string type, bool system, JsonArray fields, JsonObject options, string? rule) =>
        Execute(connection,
            "INSERT INTO _collections (id, system, type, name, fields, indexes, listRule, viewRule, options, created, updated) " +
            "VALUES (@id, @s, @type, @name, @f, '[]', @r, @r, @o, '2025-01-01 00:00:00.000Z', '2025-01-01 00:00:00.000Z')",
            ("@id", id), ("@s", system), ("@type", type), ("@name", name), ("@f", fields.ToJsonString()), ("@r", rule), ("@o", options.ToJsonString()));

    private static void Execute(SqliteConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        command.ExecuteNonQuery();
    }
}
