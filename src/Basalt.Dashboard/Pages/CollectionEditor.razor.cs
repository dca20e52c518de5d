using System.Text.Json.Nodes;
using Basalt.Client;
using Basalt.Dashboard.Services;
using Microsoft.AspNetCore.Components;

namespace Basalt.Dashboard.Pages;

/// <summary>
/// Creates or edits a collection: fields with their options, the five API rules (checked as typed), an auth collection's
/// options, indexes, a view's query; a save that renames or deletes fields or changes rules is confirmed first.
/// </summary>
public sealed partial class CollectionEditor
{
    private const string AuthTab = "Auth options";

    private JsonObject? _collection;
    private JsonObject? _original;
    private string _tab = "Fields";
    private string _newType = "text";
    private string? _error;
    private string? _preview;
    private bool _busy;
    private List<string>? _changes;
    private JsonObject _scaffolds = [];

    [Parameter] public string Name { get; set; } = "";

    [SupplyParameterFromQuery(Name = "from")] public string? From { get; set; }

    private bool IsNew => Name == "new";

    private string[] Tabs => Json.Str(_collection, "type") == "auth" ? ["Fields", "API rules", AuthTab, "Indexes"] : ["Fields", "API rules", "Indexes"];

    private List<JsonObject> Fields => _collection is null ? [] : FieldList;

    private List<JsonObject> FieldList { get; set; } = [];

    protected override async Task OnParametersSetAsync()
    {
        (_error, _changes, _tab) = (null, null, "Fields");
        try
        {
            if (IsNew)
            {
                _scaffolds = await Client.Collections.GetScaffoldsAsync();
                var source = string.IsNullOrEmpty(From) ? _scaffolds["base"] as JsonObject : await Client.Collections.GetOneAsync(From);
                _collection = (JsonObject)(source ?? new JsonObject { ["type"] = "base" }).DeepClone();
                if (!string.IsNullOrEmpty(From))
                {
                    // A duplicate: same fields and rules under a new name; the server gives it and its fields new ids.
                    _collection.Remove("id");
                    _collection["name"] = Json.Str(_collection, "name") + "_copy";
                    _collection["system"] = false;
                    foreach (var field in Json.Fields(_collection))
                    {
                        field.Remove("id");
                    }

                    _collection["indexes"] = new JsonArray();
                }

                _original = null;
            }
            else
            {
                _original = await Client.Collections.GetOneAsync(Name);
                _collection = (JsonObject)_original.DeepClone();
            }

            FieldList = Json.Fields(_collection).ToList();
        }
        catch (ClientResponseException e)
        {
            _error = Errors.Describe(e);
        }
    }

    private JsonNode CheckTarget()
    {
        var target = Snapshot();
        return IsNew ? target : JsonValue.Create(Name);
    }

    private string? RuleValue(string key) => _collection?[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    private JsonObject Snapshot()
    {
        var copy = (JsonObject)_collection!.DeepClone();
        copy["fields"] = new JsonArray(FieldList.Select(f => (JsonNode?)f.DeepClone()).ToArray());
        return copy;
    }

    private async Task ChangeTypeAsync(string? type)
    {
        if (_scaffolds[type ?? "base"] is JsonObject scaffold)
        {
            var name = Json.Str(_collection, "name");
            _collection = (JsonObject)scaffold.DeepClone();
            _collection["name"] = name;
            FieldList = Json.Fields(_collection).ToList();
        }

        await Task.CompletedTask;
    }

    private async Task SetViewQueryAsync(string? query)
    {
        _collection!["viewQuery"] = query ?? "";
        _preview = null;
        try
        {
            var dry = await Client.Collections.DryRunViewAsync(query ?? "");
            _preview = string.Join(", ", Json.Fields(dry).Select(f => $"{Json.Str(f, "name")} ({Json.Str(f, "type")})"));
        }
        catch (ClientResponseException e)
        {
            _preview = "✗ " + e.Message;
        }
    }

    private void AddField()
    {
        var field = new JsonObject { ["name"] = NextName(_newType), ["type"] = _newType };
        if (_newType == "autodate")
        {
            field["onCreate"] = true;
        }

        if (_newType == "select")
        {
            field["values"] = new JsonArray("a", "b");
            field["maxSelect"] = 1;
        }

        FieldList.Add(field);
    }

    private string NextName(string type)
    {
        var name = type == "geoPoint" ? "location" : type;
        for (var i = 2; FieldList.Any(f => Json.Str(f, "name") == name); i++)
        {
            name = (type == "geoPoint" ? "location" : type) + i;
        }

        return name;
    }

    private void SetIndexes(string? text) =>
        _collection!["indexes"] = new JsonArray((text ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(s => (JsonNode?)JsonValue.Create(s)).ToArray());

    /// <summary>What a save would change that costs data or access: renamed and deleted fields, changed rules.</summary>
    private List<string> Changes()
    {
        var changes = new List<string>();
        if (_original is null)
        {
            return changes;
        }

        var now = FieldList.Where(f => f["id"] is not null).ToDictionary(f => Json.Str(f, "id"), f => Json.Str(f, "name"), StringComparer.Ordinal);
        foreach (var field in Json.Fields(_original))
        {
            var (id, name) = (Json.Str(field, "id"), Json.Str(field, "name"));
            if (!now.TryGetValue(id, out var current))
            {
                changes.Add($"Delete the field \"{name}\" and its data");
            }
            else if (current != name)
            {
                changes.Add($"Rename the field \"{name}\" to \"{current}\"");
            }
        }

        if (Json.Str(_original, "name") != Json.Str(_collection, "name"))
        {
            changes.Add($"Rename the collection to \"{Json.Str(_collection, "name")}\"");
        }

        foreach (var (key, label) in Json.Str(_collection, "type") == "auth" ? [.. FieldTypes.Rules, .. FieldTypes.AuthRules] : FieldTypes.Rules)
        {
            var before = _original[key]?.ToJsonString() ?? "null";
            var after = _collection![key]?.ToJsonString() ?? "null";
            if (before != after)
            {
                changes.Add($"{label} rule: {Describe(_original[key])} → {Describe(_collection[key])}");
            }
        }

        return changes;
    }

    private static string Describe(JsonNode? rule) =>
        rule is JsonValue v && v.TryGetValue<string>(out var s) ? (s.Length == 0 ? "everyone" : s) : "superusers only";

    private async Task SaveAsync()
    {
        var changes = Changes();
        if (changes.Count > 0)
        {
            _changes = changes;
            return;
        }

        await ConfirmAsync();
    }

    private async Task ConfirmAsync()
    {
        _changes = null;
        _busy = true;
        _error = null;
        try
        {
            var body = Snapshot();
            var saved = IsNew ? await Client.Collections.CreateAsync(body) : await Client.Collections.UpdateAsync(Name, body);
            await Schema.ReloadAsync();
            Toasts.Success(IsNew ? "Collection created." : "Collection saved.");
            Nav.NavigateTo($"collections/{Json.Str(saved, "name")}");
        }
        catch (ClientResponseException e)
        {
            _error = Errors.Describe(e);
        }
        finally
        {
            _busy = false;
        }
    }

    private void Duplicate() => Nav.NavigateTo($"collections/new/edit?from={Uri.EscapeDataString(Name)}");

    private async Task TruncateAsync()
    {
        if (!await Browser.ConfirmAsync($"Delete every record of {Name}? The collection stays."))
        {
            return;
        }

        try
        {
            await Client.Collections.TruncateAsync(Name);
            Toasts.Success("Collection truncated.");
        }
        catch (ClientResponseException e)
        {
            _error = Errors.Describe(e);
        }
    }

    private async Task DeleteAsync()
    {
        if (!await Browser.ConfirmAsync($"Delete the collection {Name} and all its records?"))
        {
            return;
        }

        try
        {
            await Client.Collections.DeleteAsync(Name);
            await Schema.ReloadAsync();
            Toasts.Success("Collection deleted.");
            Nav.NavigateTo("");
        }
        catch (ClientResponseException e)
        {
            _error = Errors.Describe(e);
        }
    }
}
