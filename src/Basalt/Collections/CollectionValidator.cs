using System.Text.RegularExpressions;
using Basalt.Errors;
using Basalt.Model;
using Basalt.Query;
using Basalt.Storage;
using Basalt.Storage.Schema;

namespace Basalt.Collections;

/// <summary>
/// Completes and checks a collection before it is saved (§2.2-§2.6): default ids, system fields, auth indexes and
/// derived view fields are filled in; names, fields, indexes, rules and protections are validated. Errors are
/// recorded under their wire paths (<c>fields.2.name</c>); nothing here touches the database.
/// </summary>
public sealed partial class CollectionValidator(RecordQueryCompiler compiler, IDatabase database)
{
    private static readonly HashSet<string> ReservedFieldNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "null", "true", "false", "_rowid_", "collectionId", "collectionName", "expand",
    };

    private static readonly string[] RuleKeys = ["listRule", "viewRule", "createRule", "updateRule", "deleteRule"];

    /// <summary>
    /// Fills in and validates <paramref name="candidate"/>. <paramref name="previous"/> is the stored version (null on create);
    /// <paramref name="lookup"/> holds every collection as it will be after the change, including the candidate.
    /// </summary>
    internal void Check(Collection candidate, Collection? previous, CollectionOverlay lookup, NestedErrors errors, bool secretsOptional = false)
    {
        if (previous is not null)
        {
            candidate.Id = previous.Id;
            candidate.Created = previous.Created;
            if (candidate.Type != previous.Type)
            {
                errors.Add("type", "validation_collection_type_change", "The collection type cannot be changed.");
                return;
            }
        }

        if (!CollectionType.IsKnown(candidate.Type))
        {
            errors.Add("type", "validation_in_invalid", "Must be one of base, auth or view.");
            return;
        }

        var others = lookup.Others(candidate).ToList();
        CheckId(candidate, previous, others, errors);
        CheckName(candidate, previous, others, errors);
        if (candidate.System != (previous?.System ?? candidate.System))
        {
            errors.Add("system", "validation_collection_system_flag_change", "The system flag cannot be changed.");
        }

        // Error paths use the index the client sent, not the one after system fields were inserted.
        var submitted = candidate.Fields.ToList();
        if (candidate.IsView)
        {
            DeriveViewFields(candidate, previous, lookup, errors);
        }
        else
        {
            CollectionScaffolds.EnsureSystemFields(candidate);
        }

        AssignFieldIds(candidate);
        CheckFields(candidate, previous, submitted, lookup, errors);
        CollectionScaffolds.EnsureAuthIndexes(candidate);
        CheckIndexes(candidate, others, errors);
        CheckRules(candidate, previous, lookup, errors);
        if (candidate.IsAuth)
        {
            AuthOptionsValidator.Check(candidate, previous, errors, (path, rule) => CheckRule(candidate, lookup, path, rule, errors), secretsOptional);
        }
    }

    private static void CheckId(Collection candidate, Collection? previous, List<Collection> others, NestedErrors errors)
    {
        if (previous is not null)
        {
            return;
        }

        if (candidate.Id.Length == 0)
        {
            candidate.Id = CollectionIds.ForCollection(candidate.Type, candidate.Name, id => others.Any(o => SameName(o.Id, id) || SameName(o.Name, id)));
            return;
        }

        if (candidate.Id.Length > 100 || !Word().IsMatch(candidate.Id))
        {
            errors.Add("id", "validation_invalid_id", "Must be 1-100 letters, digits or underscores.");
        }
        else if (others.Any(o => SameName(o.Id, candidate.Id) || SameName(o.Name, candidate.Id)))
        {
            errors.Add("id", "validation_collection_id_exists", "The collection id is already in use.");
        }
    }

    private static void CheckName(Collection candidate, Collection? previous, List<Collection> others, NestedErrors errors)
    {
        var name = candidate.Name;
        if (previous is { System: true } && name != previous.Name)
        {
            errors.Add("name", "validation_collection_system_name_change", "A system collection cannot be renamed.");
        }
        else if (name.Length == 0)
        {
            errors.Add("name", "validation_required", "Cannot be blank.");
        }
        else if (name.Length > 255)
        {
            errors.Add("name", "validation_length_out_of_range", "The length must be between 1 and 255.");
        }
        else if (!Word().IsMatch(name))
        {
            errors.Add("name", "validation_match_invalid", "Must contain only letters, digits and underscores.");
        }
        else if (name.Contains("_via_", StringComparison.OrdinalIgnoreCase))
        {
            errors.Add("name", "validation_invalid_name", "The name must not contain \"_via_\".");
        }
        else if (IsInternalTable(name) && (previous is null || !SameName(previous.Name, name)))
        {
            errors.Add("name", "validation_collection_name_invalid", "The name is reserved for an internal table.");
        }
        else if (others.Any(o => SameName(o.Name, name)))
        {
            errors.Add("name", "validation_collection_name_exists", "Collection name must be unique (case insensitive).");
        }
        else if (others.Any(o => SameName(o.Id, name)))
        {
            errors.Add("name", "validation_collection_name_invalid", "The name is already used as another collection's id.");
        }
        else if (others.SelectMany(o => o.Indexes).Concat(candidate.Indexes).Any(i => IndexDefinition.TryParse(i, out var d) && SameName(d.Name, name)))
        {
            errors.Add("name", "validation_collection_name_invalid", "The name is already used by an index.");
        }
    }

    /// <summary>Names of Basalt's own tables and the databases' catalogs, which no collection may take.</summary>
    private static bool IsInternalTable(string name) =>
        SystemTables.Reserved.Any(r => SameName(r, name)) ||
        name.StartsWith("sqlite_", StringComparison.OrdinalIgnoreCase) ||
        name.StartsWith("pg_", StringComparison.OrdinalIgnoreCase) ||
        SameName(name, "information_schema") || SameName(name, "_logs");

    private static void DeriveViewFields(Collection candidate, Collection? previous, ICollectionLookup lookup, NestedErrors errors)
    {
        if (candidate.Indexes.Count > 0)
        {
            errors.Add("indexes", "validation_view_indexes", "View collections can't have indexes.");
        }

        var query = candidate.ViewQuery ?? "";
        if (query.Trim().Length == 0)
        {
            errors.Add("viewQuery", "validation_required", "Cannot be blank.");
            return;
        }

        var fields = ViewQuery.DeriveFields(query, lookup, out var error);
        if (fields is null)
        {
            errors.Add("viewQuery", "validation_invalid_view_query", error ?? "Invalid view query.");
            return;
        }

        foreach (var field in fields)
        {
            if (previous?.FindField(field.Name) is { } old && old.Type == field.Type)
            {
                field.Id = old.Id;
            }
        }

        candidate.Fields = fields;
    }

    private static void AssignFieldIds(Collection candidate)
    {
        foreach (var field in candidate.Fields.Where(f => f.Id.Length == 0))
        {
            field.Id = CollectionIds.ForField(field.Type, field.Name, id => candidate.Fields.Any(f => f.Id == id));
        }
    }

    private static void CheckFields(Collection candidate, Collection? previous, List<Field> submitted, ICollectionLookup lookup, NestedErrors errors)
    {
        var seenNames = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var seenIds = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < candidate.Fields.Count; i++)
        {
            var field = candidate.Fields[i];
            var sent = submitted.IndexOf(field);
            var path = "fields." + (sent >= 0 ? sent : i);
            FieldOptions.ApplyDefaults(field);
            if (!FieldType.All.Contains(field.Type))
            {
                errors.Add(path + ".type", "validation_invalid_field_type", "Unknown field type.");
                continue;
            }

            if (field.Id.Length > 100 || !Word().IsMatch(field.Id))
            {
                errors.Add(path + ".id", "validation_invalid_id", "Must be 1-100 letters, digits or underscores.");
            }
            else if (!seenIds.Add(field.Id))
            {
                errors.Add(path + ".id", "validation_duplicated_field_id", "Duplicated field id.");
            }

            CheckFieldName(candidate, field, path, seenNames, errors);
            var old = previous?.FindFieldById(field.Id);
            if (old is not null && old.Type != field.Type)
            {
                errors.Add(path + ".type", "validation_field_type_change", "The type of an existing field cannot be changed.");
                continue;
            }

            if (old is { System: true } && old.Name != field.Name)
            {
                errors.Add(path + ".name", "validation_system_field_change", "A system field cannot be renamed.");
            }

            FieldOptionsValidator.Validate(field, path, candidate, previous, lookup, errors);
        }

        foreach (var old in previous?.Fields.Where(f => f.System) ?? [])
        {
            if (candidate.FindFieldById(old.Id) is null && !candidate.IsView)
            {
                errors.Add("fields", "validation_system_field_removed", "The system field \"" + old.Name + "\" cannot be removed.");
            }
        }

        if (!candidate.IsView && candidate.FindField("id") is not { Type: FieldType.Text })
        {
            errors.Add("fields", "validation_missing_primary_key", "The collection must have a text \"id\" primary key field.");
        }
    }

    private static void CheckFieldName(Collection candidate, Field field, string path, HashSet<string> seen, NestedErrors errors)
    {
        var name = field.Name;
        if (name.Length == 0)
        {
            errors.Add(path + ".name", "validation_required", "Cannot be blank.");
        }
        else if (name.Length > 100 || !Word().IsMatch(name))
        {
            errors.Add(path + ".name", "validation_match_invalid", "Must be 1-100 letters, digits or underscores.");
        }
        else if (ReservedFieldNames.Contains(name) || name.Contains("_via_", StringComparison.OrdinalIgnoreCase) ||
            (candidate.IsAuth && (SameName(name, "passwordConfirm") || SameName(name, "oldPassword"))))
        {
            errors.Add(path + ".name", "validation_field_name_reserved", "The name \"" + name + "\" is reserved.");
        }
        else if (!seen.Add(name))
        {
            errors.Add(path + ".name", "validation_duplicated_field_name", "Duplicated or invalid field name.");
        }
        else if (candidate.IsAuth && CollectionScaffolds.AuthSystemFieldType(name) is { } expected && expected != field.Type)
        {
            errors.Add(path + ".type", "validation_field_name_reserved", "The auth field \"" + name + "\" must be of type " + expected + ".");
        }
    }

    private static void CheckIndexes(Collection candidate, List<Collection> others, NestedErrors errors)
    {
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var otherIndexNames = others.SelectMany(o => o.Indexes)
            .Select(i => IndexDefinition.TryParse(i, out var d) ? d.Name : "")
            .Concat(others.Select(o => o.Name))
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < candidate.Indexes.Count; i++)
        {
            var path = "indexes." + i;
            if (!IndexDefinition.TryParse(candidate.Indexes[i], out var index))
            {
                errors.Add(path, IndexDefinition.InvalidCode, "Invalid CREATE INDEX expression.");
                continue;
            }

            string? bad = null;
            if (index.Where is { } where)
            {
                var tokens = SqlTokenizer.Tokenize(where, out var tokenError);
                bad = tokens is null ? tokenError : ViewQueryRules.FindForbidden(tokens) is { } word ? "The WHERE clause may not contain " + word + "." : null;
            }

            if (!Word().IsMatch(index.Name) || SameName(index.Name, candidate.Name))
            {
                errors.Add(path, IndexDefinition.InvalidCode, "Invalid index name.");
            }
            else if (bad is not null)
            {
                errors.Add(path, IndexDefinition.InvalidCode, bad);
            }
            else if (index.Columns.FirstOrDefault(c => candidate.FindField(c.Name) is null) is { } missing)
            {
                errors.Add(path, IndexDefinition.InvalidCode, "The indexed column \"" + missing.Name + "\" is not a field.");
            }
            else if (!names.Add(index.Name) || otherIndexNames.Contains(index.Name))
            {
                errors.Add(path, "validation_duplicated_index_name", "The index name must be unique.");
            }
            else
            {
                candidate.Indexes[i] = index.ToPocketBaseString(candidate.Name);
            }
        }
    }

    private void CheckRules(Collection candidate, Collection? previous, ICollectionLookup lookup, NestedErrors errors)
    {
        string?[] rules = [candidate.ListRule, candidate.ViewRule, candidate.CreateRule, candidate.UpdateRule, candidate.DeleteRule];
        string?[] old = [previous?.ListRule, previous?.ViewRule, previous?.CreateRule, previous?.UpdateRule, previous?.DeleteRule];
        for (var i = 0; i < RuleKeys.Length; i++)
        {
            if (previous is { System: true } && rules[i] != old[i])
            {
                errors.Add(RuleKeys[i], "validation_collection_system_rule_change", "The API rules of a system collection cannot be changed.");
            }
            else if (candidate.IsView && i >= 2 && rules[i] is not null)
            {
                errors.Add(RuleKeys[i], "validation_nil", "Must be null for view collections.");
            }
            else
            {
                CheckRule(candidate, lookup, RuleKeys[i], rules[i], errors);
            }
        }
    }

    /// <summary>Compiles a rule against the candidate into a throwaway statement; a compile error becomes a validation error.</summary>
    private void CheckRule(Collection candidate, ICollectionLookup lookup, string path, string? rule, NestedErrors errors)
    {
        if (string.IsNullOrWhiteSpace(rule) || errors.Has("fields"))
        {
            return;
        }

        var context = new FilterContext { Collections = lookup, Collection = candidate, Request = new RequestInfo(), IsRule = true };
        try
        {
            compiler.AppendFilter(new SqlBuilder(database.Dialect), context, rule);
        }
        catch (ApiError e)
        {
            errors.Add(path, "validation_invalid_rule", "Invalid rule: " + (e.InnerException?.Message ?? e.Message));
        }
    }

    private static bool SameName(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

    [GeneratedRegex("^[A-Za-z0-9_]+$")]
    private static partial Regex Word();
}
