using System.Text.Json.Nodes;
using Basalt.Model;
using Basalt.Query;
using Record = Basalt.Model.Record;

namespace Basalt.Tests.Query;

/// <summary>
/// A fixed schema for compiler tests: <c>posts</c> (every field type), <c>users</c> (auth), <c>comments</c>
/// (relation to posts), <c>members</c>, and <c>vault</c> (no listRule) — an <see cref="ICollectionLookup"/> without a database.
/// </summary>
internal sealed class QueryTestSchema : ICollectionLookup
{
    public QueryTestSchema()
    {
        Users = new Collection
        {
            Id = "pbc_users",
            Name = "users",
            Type = CollectionType.Auth,
            ListRule = "",
            Fields =
            [
                F("id", FieldType.Text), F("email", FieldType.Email), F("emailVisibility", FieldType.Bool),
                F("verified", FieldType.Bool), F("name", FieldType.Text), F("age", FieldType.Number),
                F("password", FieldType.Password, hidden: true), F("tokenKey", FieldType.Text, hidden: true),
                F("friends", FieldType.Relation, new() { ["collectionId"] = "pbc_users", ["maxSelect"] = 10 }),
            ],
        };
        Vault = new Collection
        {
            Id = "pbc_vault",
            Name = "vault",
            ListRule = null,
            Fields = [F("id", FieldType.Text), F("code", FieldType.Text)],
        };
        Posts = new Collection
        {
            Id = "pbc_posts",
            Name = "posts",
            ListRule = "",
            Fields =
            [
                F("id", FieldType.Text), F("title", FieldType.Text), F("views", FieldType.Number),
                F("published", FieldType.Bool), F("when", FieldType.Date),
                F("status", FieldType.Select, new() { ["maxSelect"] = 1 }),
                F("tags", FieldType.Select, new() { ["maxSelect"] = 5 }),
                F("author", FieldType.Relation, new() { ["collectionId"] = "pbc_users", ["maxSelect"] = 1 }),
                F("editors", FieldType.Relation, new() { ["collectionId"] = "pbc_users", ["maxSelect"] = 5 }),
                F("vault", FieldType.Relation, new() { ["collectionId"] = "pbc_vault", ["maxSelect"] = 1 }),
                F("data", FieldType.Json), F("geo", FieldType.GeoPoint),
                F("secret", FieldType.Text, hidden: true),
            ],
        };
        Comments = new Collection
        {
            Id = "pbc_comments",
            Name = "comments",
            ListRule = "hidden = false",
            Fields =
            [
                F("id", FieldType.Text), F("body", FieldType.Text), F("hidden", FieldType.Bool),
                F("post", FieldType.Relation, new() { ["collectionId"] = "pbc_posts", ["maxSelect"] = 1 }),
                F("user", FieldType.Relation, new() { ["collectionId"] = "pbc_users", ["maxSelect"] = 1 }),
            ],
        };
        Members = new Collection
        {
            Id = "pbc_members",
            Name = "members",
            ListRule = "",
            Fields =
            [
                F("id", FieldType.Text), F("role", FieldType.Text),
                F("user", FieldType.Relation, new() { ["collectionId"] = "pbc_users", ["maxSelect"] = 1 }),
                F("posts", FieldType.Relation, new() { ["collectionId"] = "pbc_posts", ["maxSelect"] = 9 }),
            ],
        };
        All = [Users, Vault, Posts, Comments, Members];
    }

    public Collection Users { get; }

    public Collection Vault { get; }

    public Collection Posts { get; }

    public Collection Comments { get; }

    public Collection Members { get; }

    public IReadOnlyList<Collection> All { get; }

    public Collection? Find(string idOrName) =>
        All.FirstOrDefault(c => c.Id == idOrName || string.Equals(c.Name, idOrName, StringComparison.OrdinalIgnoreCase));

    /// <summary>A signed-in user <c>u1</c> with the given extra field values.</summary>
    public Record User(string id = "u1", string name = "Ann")
    {
        var user = new Record(Users) { Id = id };
        user.Set("name", name);
        user.Set("email", id + "@example.com");
        return user;
    }

    public FilterContext Context(Collection? collection = null, bool isRule = false, RequestInfo? request = null) => new()
    {
        Collections = this,
        Collection = collection ?? Posts,
        Request = request ?? new RequestInfo(),
        IsRule = isRule,
    };

    public FilterContext Superuser(Collection? collection = null, RequestInfo? request = null) => Context(collection, false, (request ?? new RequestInfo()) with
    {
        Auth = new Record(new Collection { Id = "pbc_su", Name = SystemCollections.Superusers, Type = CollectionType.Auth }) { Id = "su1" },
    });

    private static Field F(string name, string type, JsonObject? options = null, bool hidden = false) => new()
    {
        Id = type + "_" + name,
        Name = name,
        Type = type,
        Hidden = hidden,
        System = name == "id",
        Options = options ?? [],
    };
}
