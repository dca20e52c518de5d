using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Basalt.Collections;
using Basalt.Model;
using Basalt.Query;
using Basalt.Records;
using Basalt.Rules;
using Basalt.Storage;
using Basalt.Storage.Sqlite;
using Basalt.Storage.Tables;
using Record = Basalt.Model.Record;

namespace Basalt.Micro;

/// <summary>
/// The request hot paths (issue 17), one operation per method over a fixed schema and fixed inputs: what
/// bench/Micro times with BenchmarkDotNet and what the allocation budget test in tests/Basalt.Tests bounds. Both compile
/// this file, so the budgets always measure the code the benchmarks time.
/// </summary>
public sealed class HotPaths : IAsyncDisposable
{
    /// <summary>The filter of a list request: a range, a select and a text match.</summary>
    public const string Filter = "n >= 5000 && status = \"b\" && title ~ \"seed\"";

    /// <summary>The filtered list page of bench/run.sh (sorted by <c>-n</c>): every seeded row matches it.</summary>
    public const string PageFilter = "n >= 10 && status = \"b\"";

    /// <summary>A list rule that reads the signed-in record and a relation.</summary>
    public const string ListRule = "@request.auth.id != \"\" && (status = \"a\" || author = @request.auth.id)";

    private static readonly byte[] CreateBody = Encoding.UTF8.GetBytes(
        """{"title":"created 1","n":42,"status":"b","tags":["x","y"],"author":"user00000000001","body":"lorem ipsum lorem ipsum"}""");

    private readonly string _folder;
    private readonly SqliteDatabase _database;
    private readonly CollectionCache _collections = new();
    private readonly RecordQueryCompiler _compiler = new();
    private readonly RuleEvaluator _rules;
    private readonly RecordStore _store;
    private readonly Collection _posts;
    private readonly Record _post;
    private readonly RequestInfo _guest = new();
    private readonly RequestInfo _user;
    private readonly ArrayBufferWriter<byte> _buffer = new(4096);
    private int _created;

    private HotPaths(string folder)
    {
        _folder = folder;
        _database = new SqliteDatabase(new StorageOptions { DataDir = folder, Durability = Durability.Fast });
        _store = new RecordStore(_database);
        _rules = new RuleEvaluator(_collections, _compiler, _store);

        var users = CollectionScaffolds.Users();
        _posts = new Collection { Id = "pbc_hotpaths001", Name = "posts", Type = CollectionType.Base, ListRule = ListRule };
        _posts.Fields.Add(CollectionScaffolds.IdField());
        _posts.Fields.Add(FieldOptions.NewField(FieldType.Text, "title", new JsonObject { ["max"] = 200 }));
        _posts.Fields.Add(FieldOptions.NewField(FieldType.Number, "n"));
        _posts.Fields.Add(FieldOptions.NewField(FieldType.Select, "status", new JsonObject { ["values"] = new JsonArray("a", "b", "c"), ["maxSelect"] = 1 }));
        _posts.Fields.Add(FieldOptions.NewField(FieldType.Select, "tags", new JsonObject { ["values"] = new JsonArray("x", "y", "z"), ["maxSelect"] = 3 }));
        _posts.Fields.Add(FieldOptions.NewField(FieldType.Relation, "author", new JsonObject { ["collectionId"] = users.Id, ["maxSelect"] = 1 }));
        _posts.Fields.Add(FieldOptions.NewField(FieldType.Text, "body"));
        _collections.Replace([users, _posts]);

        var user = new Record(users);
        foreach (var field in users.Fields)
        {
            user.Set(field.Name, FieldEmptyValue.Of(field));
        }

        user.Id = "user00000000001";
        user.Set("email", "user@example.com");
        user.Set("name", "A user");
        _user = new RequestInfo { Auth = user };

        _post = new Record(_posts);
        _post.Id = "post00000000001";
        _post.Set("title", "seed 42");
        _post.Set("n", 42d);
        _post.Set("status", "b");
        _post.Set("tags", new List<string> { "x", "y" });
        _post.Set("author", user.Id);
        _post.Set("body", "lorem ipsum lorem ipsum lorem ipsum");
        _post.Expand = new Dictionary<string, object?>(StringComparer.Ordinal) { ["author"] = user };
    }

    /// <summary>Rows in the table before any path runs: enough for <see cref="ReadPageAsync"/>'s page of 30 and a count over more.</summary>
    public const int SeededRows = 300;

    /// <summary>The paths over a fresh SQLite database in <paramref name="folder"/> (fast durability: the fsync is not what is measured).</summary>
    public static async Task<HotPaths> CreateAsync(string folder)
    {
        var paths = new HotPaths(folder);
        await paths._database.InitializeAsync(CancellationToken.None);
        var migrator = new SchemaMigrator(paths._database);
        await paths._database.WriteAsync(
            async (connection, transaction, ct) =>
            {
                await migrator.CreateAsync(connection, transaction, paths._posts, ct);
                return 0;
            },
            CancellationToken.None);
        for (var i = 0; i < SeededRows; i++)
        {
            await paths.GroupCommitAsync();
        }

        return paths;
    }

    /// <summary>A guest's filter compiled by a compiler that has never seen it: lexing and parsing, then SQL.</summary>
    public SqlCondition CompileFilterCold() =>
        new RecordQueryCompiler().Condition(_database.Dialect, Context(_guest), Filter);

    /// <summary>The same filter again: the parse tree comes from the cache, the SQL is written.</summary>
    public SqlCondition CompileFilterCached() =>
        _compiler.Condition(_database.Dialect, Context(_guest), Filter);

    /// <summary>A signed-in user's list: the list rule (with <c>@request.auth.*</c>) and the filter, as one condition.</summary>
    public SqlCondition EvaluateRule() =>
        _rules.Condition(_posts, _posts.ListRule, _user, Filter);

    /// <summary>One record with an expanded relation, written as the records API writes it.</summary>
    public int SerializeRecord()
    {
        _buffer.ResetWrittenCount();
        using (var writer = new Utf8JsonWriter(_buffer))
        {
            RecordSerializer.Write(writer, _post, _user);
        }

        return _buffer.WrittenCount;
    }

    /// <summary>The same record through <c>?fields=</c> (with an expanded field), as the records API answers it.</summary>
    public int SerializeRecordWithFields()
    {
        var picker = FieldsPicker.Parse("id,title,expand.author.name")!;
        _buffer.ResetWrittenCount();
        using (var writer = new Utf8JsonWriter(_buffer))
        {
            RecordSerializer.Write(writer, _post, _user);
        }

        var output = new ArrayBufferWriter<byte>(_buffer.WrittenCount);
        using (var writer = new Utf8JsonWriter(output))
        {
            picker.WriteTo(_buffer.WrittenSpan, writer);
        }

        return output.WrittenCount;
    }

    /// <summary>
    /// A guest's filtered and sorted page of 30 with its count, read and written as the records API answers it: the
    /// condition and the order compiled (parse tree cached), the page and the count on one reader, the page's JSON.
    /// </summary>
    public async Task<int> ReadPageAsync()
    {
        var where = _rules.Condition(_posts, "", _guest, PageFilter);
        var order = _compiler.Order(_database.Dialect, _rules.Context(_posts, _guest, RecordStore.Alias, false), "-n");
        var (items, total) = await _database.ReadAsync(
            async (connection, ct) =>
            {
                var items = await _store.ListAsync(_posts, where, order, 30, 0, connection, ct);
                return (items, await _store.CountAsync(_posts, where, connection, ct));
            },
            CancellationToken.None);
        _buffer.ResetWrittenCount();
        using (var writer = new Utf8JsonWriter(_buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("totalItems", total);
            writer.WriteStartArray("items");
            foreach (var record in items)
            {
                RecordSerializer.Write(writer, record, _guest);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return _buffer.WrittenCount;
    }

    /// <summary>A create's JSON body: parsed, applied to a new record and validated field by field.</summary>
    public bool ParseAndValidateBody()
    {
        var body = (JsonObject)JsonNode.Parse(CreateBody)!;
        var record = new Record(_posts);
        foreach (var field in _posts.Fields)
        {
            record.Set(field.Name, FieldEmptyValue.Of(field));
        }

        var submitted = RecordBody.Apply(record, body, false);
        RecordChecks.ValidateFields(record, null, submitted, submitted.Errors);
        return submitted.Errors.IsEmpty;
    }

    /// <summary>One create through the group commit: its unit, the insert, the change-log entry and the row count.</summary>
    public Task<int> GroupCommitAsync()
    {
        var record = new Record(_posts);
        record.Id = "r" + Interlocked.Increment(ref _created).ToString("D14", System.Globalization.CultureInfo.InvariantCulture);
        foreach (var (key, value) in _post.Values)
        {
            if (key != "id")
            {
                record.Set(key, value);
            }
        }

        return _database.WriteAsync(
            async (connection, transaction, ct) =>
            {
                await _store.InsertAsync(record, connection, transaction, ct);
                return 0;
            },
            CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        await _database.DisposeAsync();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by a late reader: the temporary folder is left for the system to clear.
        }
    }

    private FilterContext Context(RequestInfo request) => new() { Collections = _collections, Collection = _posts, Request = request };
}
