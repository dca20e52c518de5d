using System.Text.Json.Nodes;
using Basalt.Model;
using Basalt.Storage.Schema;

namespace Basalt.Collections;

/// <summary>
/// The starting shape of each collection type and the system fields and indexes every base/auth collection must keep
/// (§2.4): the text primary key <c>id</c>, and for auth collections password, tokenKey, email, emailVisibility and verified.
/// </summary>
public static class CollectionScaffolds
{
    private static readonly string[] AuthFieldNames = ["password", "tokenKey", "email", "emailVisibility", "verified"];

    /// <summary>The text primary key every base and auth collection has: 15 chars of <c>[a-z0-9]</c>.</summary>
    public static Field IdField() => WithId(FieldOptions.NewField(FieldType.Text, "id", new JsonObject
    {
        ["min"] = 15,
        ["max"] = 15,
        ["pattern"] = RecordIdPattern.Lowercase,
        ["autogeneratePattern"] = "[a-z0-9]{15}",
        ["required"] = true,
        ["primaryKey"] = true,
    }), system: true);

    /// <summary>A new collection of <paramref name="type"/> with its system fields and, for auth, default options.</summary>
    public static Collection For(string type, string name)
    {
        var collection = new Collection { Type = type, Name = name };
        if (type == CollectionType.View)
        {
            return collection;
        }

        collection.Fields.Add(IdField());
        if (type == CollectionType.Auth)
        {
            collection.Fields.AddRange(AuthFieldNames.Select(AuthField));
            collection.Options = AuthOptions.CreateDefaults();
        }

        return collection;
    }

    /// <summary>The <c>meta/scaffolds</c> answer: one collection JSON per type with the collection ids cleared.</summary>
    public static JsonObject ToJson() => new()
    {
        [CollectionType.Base] = CollectionJson.Write(For(CollectionType.Base, "")),
        [CollectionType.Auth] = CollectionJson.Write(For(CollectionType.Auth, "")),
        [CollectionType.View] = CollectionJson.Write(For(CollectionType.View, "")),
    };

    /// <summary>The <c>_superusers</c> collection: auth, system, every rule null, 1-day tokens, required email, autodates.</summary>
    public static Collection Superusers()
    {
        var collection = For(CollectionType.Auth, SystemCollections.Superusers);
        collection.System = true;
        collection.Id = CollectionIds.ForCollection(collection.Type, collection.Name, _ => false);
        collection.Fields.Add(Autodate("created", onUpdate: false));
        collection.Fields.Add(Autodate("updated", onUpdate: true));
        collection.Options["authToken"]!["duration"] = 86400;
        EnsureAuthIndexes(collection);
        return collection;
    }

    /// <summary>
    /// The default <c>users</c> auth collection of a new database (§2.3): not a system collection, so a superuser may
    /// change or delete it. Owners list/view/update/delete themselves; anyone may sign up.
    /// </summary>
    public static Collection Users()
    {
        const string ownerRule = "id = @request.auth.id";
        var collection = For(CollectionType.Auth, SystemCollections.Users);
        collection.Id = SystemCollections.UsersId;
        collection.ListRule = collection.ViewRule = collection.UpdateRule = collection.DeleteRule = ownerRule;
        collection.CreateRule = "";
        collection.Fields.Add(WithId(FieldOptions.NewField(FieldType.Text, "name", new JsonObject { ["max"] = 255 }), system: false));
        collection.Fields.Add(WithId(FieldOptions.NewField(FieldType.File, "avatar", new JsonObject
        {
            ["maxSelect"] = 1,
            ["mimeTypes"] = new JsonArray("image/jpeg", "image/png", "image/svg+xml", "image/gif", "image/webp"),
        }), system: false));
        collection.Fields.Add(Autodate("created", onUpdate: false));
        collection.Fields.Add(Autodate("updated", onUpdate: true));
        var mapped = collection.Options["oauth2"]!["mappedFields"]!;
        mapped["name"] = "name";
        mapped["avatarURL"] = "avatar";
        EnsureAuthIndexes(collection);
        return collection;
    }

    /// <summary>Adds the system fields a base/auth collection lacks, and re-marks the existing ones as system fields.</summary>
    internal static void EnsureSystemFields(Collection collection)
    {
        if (collection.IsView)
        {
            return;
        }

        var id = collection.FindField("id");
        if (id is null)
        {
            collection.Fields.Insert(0, IdField());
        }
        else if (id.Type == FieldType.Text)
        {
            id.System = true;
            id.Options["primaryKey"] = true;
            id.Options["required"] = true;
        }

        if (!collection.IsAuth)
        {
            return;
        }

        foreach (var name in AuthFieldNames)
        {
            var existing = collection.FindField(name);
            var expected = AuthField(name);
            if (existing is null)
            {
                collection.Fields.Add(expected);
            }
            else if (existing.Type == expected.Type)
            {
                existing.System = true;
                existing.Hidden = expected.Hidden;
            }
        }
    }

    /// <summary>Adds the unique tokenKey index and the unique non-empty email index an auth collection must have.</summary>
    internal static void EnsureAuthIndexes(Collection collection)
    {
        if (!collection.IsAuth)
        {
            return;
        }

        var parsed = collection.Indexes.Select(i => IndexDefinition.TryParse(i, out var index) ? index : null).ToList();
        bool HasUnique(string column) => parsed.Any(p => p is { Unique: true, Columns.Count: 1 } && p.Columns[0].Name == column);
        if (!HasUnique("tokenKey"))
        {
            collection.Indexes.Add(new IndexDefinition("idx_tokenKey_" + collection.Id, true, collection.Name, [new("tokenKey", false, false)], null)
                .ToPocketBaseString(collection.Name));
        }

        if (!HasUnique("email"))
        {
            collection.Indexes.Add(new IndexDefinition("idx_email_" + collection.Id, true, collection.Name, [new("email", false, false)], "`email` != ''")
                .ToPocketBaseString(collection.Name));
        }
    }

    /// <summary>The expected type of a name that auth collections reserve for their system fields, or null.</summary>
    internal static string? AuthSystemFieldType(string name) => name switch
    {
        "password" => FieldType.Password,
        "tokenKey" => FieldType.Text,
        "email" => FieldType.Email,
        "emailVisibility" or "verified" => FieldType.Bool,
        _ => null,
    };

    private static Field AuthField(string name) => name switch
    {
        "password" => WithId(FieldOptions.NewField(FieldType.Password, name, new JsonObject { ["min"] = 8, ["required"] = true }), true, true),
        "tokenKey" => WithId(FieldOptions.NewField(FieldType.Text, name, new JsonObject
        {
            ["min"] = 30,
            ["max"] = 60,
            ["autogeneratePattern"] = "[a-zA-Z0-9]{50}",
            ["required"] = true,
        }), true, true),
        // required as PocketBase adds it to a new auth collection; a superuser may still make it optional
        "email" => WithId(FieldOptions.NewField(FieldType.Email, name, new JsonObject { ["required"] = true }), true),
        _ => WithId(FieldOptions.NewField(FieldType.Bool, name), true),
    };

    private static Field Autodate(string name, bool onUpdate) =>
        WithId(FieldOptions.NewField(FieldType.Autodate, name, new JsonObject { ["onCreate"] = true, ["onUpdate"] = onUpdate }), system: false);

    private static Field WithId(Field field, bool system, bool hidden = false)
    {
        field.Id = CollectionIds.ForField(field.Type, field.Name, _ => false);
        field.System = system;
        field.Hidden = hidden;
        return field;
    }
}
