using System.Text.Json.Nodes;
using Basalt.Model;
using Basalt.Storage.Schema;

namespace Basalt.Collections;

/// <summary>
/// The definitions of the base collections the auth flows keep their state in (§2.3, named in
/// <see cref="AuthSystemCollections"/>). Each row points at an auth record by <c>collectionRef</c> + <c>recordRef</c>;
/// owners may list and view their own rows (the SDK lists and unlinks external auths through the records API), nobody
/// writes them directly.
/// </summary>
public static class AuthSystemCollectionScaffolds
{
    private const string OwnerRule = "@request.auth.id != '' && recordRef = @request.auth.id && collectionRef = @request.auth.collectionId";

    /// <summary>All four, in the order they are created.</summary>
    public static IReadOnlyList<Collection> All() => [MfasCollection(), OtpsCollection(), ExternalAuthsCollection(), AuthOriginsCollection()];

    private static Collection MfasCollection()
    {
        var collection = Create(AuthSystemCollections.Mfas, deletable: false);
        collection.Fields.Add(Text("method"));
        return Finish(collection, ["collectionRef", "recordRef"], unique: false);
    }

    private static Collection OtpsCollection()
    {
        var collection = Create(AuthSystemCollections.Otps, deletable: false);
        var password = FieldOptions.NewField(FieldType.Password, "password", new JsonObject { ["required"] = true, ["cost"] = 8 });
        collection.Fields.Add(System(password, hidden: true));

        // The address the code went to: auth-with-otp marks the record verified only when it is still the record's email.
        collection.Fields.Add(System(FieldOptions.NewField(FieldType.Text, "sentTo"), hidden: true));
        return Finish(collection, ["collectionRef", "recordRef"], unique: false);
    }

    private static Collection ExternalAuthsCollection()
    {
        var collection = Create(AuthSystemCollections.ExternalAuths, deletable: true);
        collection.Fields.Add(Text("provider"));
        collection.Fields.Add(Text("providerId"));
        collection.Indexes.Add(Index("idx_externalAuths_record_provider", collection.Name, ["collectionRef", "recordRef", "provider"], unique: true));
        return Finish(collection, ["collectionRef", "provider", "providerId"], unique: true);
    }

    private static Collection AuthOriginsCollection()
    {
        var collection = Create(AuthSystemCollections.AuthOrigins, deletable: true);
        collection.Fields.Add(Text("fingerprint"));
        return Finish(collection, ["collectionRef", "recordRef", "fingerprint"], unique: true);
    }

    private static Collection Create(string name, bool deletable)
    {
        var collection = CollectionScaffolds.For(CollectionType.Base, name);
        collection.System = true;
        collection.Id = CollectionIds.ForCollection(collection.Type, collection.Name, _ => false);
        collection.ListRule = collection.ViewRule = OwnerRule;
        collection.DeleteRule = deletable ? OwnerRule : null;
        collection.Fields.Add(Text("collectionRef"));
        collection.Fields.Add(Text("recordRef"));
        return collection;
    }

    private static Collection Finish(Collection collection, string[] indexColumns, bool unique)
    {
        collection.Fields.Add(Autodate("created", onUpdate: false));
        collection.Fields.Add(Autodate("updated", onUpdate: true));
        collection.Indexes.Add(Index("idx_" + collection.Name.TrimStart('_') + "_ref", collection.Name, indexColumns, unique));
        return collection;
    }

    private static Field Text(string name) =>
        System(FieldOptions.NewField(FieldType.Text, name, new JsonObject { ["required"] = true }), hidden: false);

    private static Field Autodate(string name, bool onUpdate) =>
        System(FieldOptions.NewField(FieldType.Autodate, name, new JsonObject { ["onCreate"] = true, ["onUpdate"] = onUpdate }), hidden: false);

    private static Field System(Field field, bool hidden)
    {
        field.Id = CollectionIds.ForField(field.Type, field.Name, _ => false);
        field.System = true;
        field.Hidden = hidden;
        return field;
    }

    private static string Index(string name, string table, string[] columns, bool unique) =>
        new IndexDefinition(name, unique, table, [.. columns.Select(c => new IndexColumn(c, false, false))], null).ToPocketBaseString(table);
}
