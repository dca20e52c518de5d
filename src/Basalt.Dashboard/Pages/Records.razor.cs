using System.Text.Json.Nodes;
using Basalt.Client;
using Basalt.Client.Realtime;
using Basalt.Dashboard.Services;
using Microsoft.AspNetCore.Components;

namespace Basalt.Dashboard.Pages;

/// <summary>
/// A collection's records: a page at a time without counting (so a large collection answers fast), the count fetched
/// beside it, filter, sort, column choice, bulk delete, and live updates through realtime.
/// </summary>
public sealed partial class Records
{
    private JsonObject _collection = [];
    private List<JsonObject> _items = [];
    private readonly HashSet<string> _selected = new(StringComparer.Ordinal);
    private readonly HashSet<string> _hidden = new(StringComparer.Ordinal);
    private string _filterText = "";
    private string _filter = "";
    private string _sort = "";
    private int _page = 1;
    private int _perPage = 20;
    private bool _hasMore;
    private int? _total;
    private bool _loading;
    private bool _live;
    private string? _error;
    private bool _editing;
    private JsonObject? _editRecord;
    private RealtimeSubscription? _subscription;
    private string _subscribed = "";
    private CancellationTokenSource _countCancel = new();
    private int _reloads;

    [Parameter] public string Name { get; set; } = "";

    private IEnumerable<string> Columns => Json.Fields(_collection).Select(f => Json.Str(f, "name"))
        .Where(n => n == "id" || !_hidden.Contains(n));

    private string CountText => _total is { } total
        ? total == 0 ? "0 records" : $"{(_page - 1) * _perPage + 1}–{(_page - 1) * _perPage + _items.Count} of {total} records"
        : _items.Count == 0 ? "" : "counting…";

    protected override async Task OnParametersSetAsync()
    {
        if (_subscribed == Name)
        {
            return;
        }

        await UnsubscribeAsync();
        _selected.Clear();
        _hidden.Clear();
        (_filterText, _filter, _sort, _page, _error, _editing) = ("", "", "", 1, null, false);
        try
        {
            _collection = await Client.Collections.GetOneAsync(Name);
        }
        catch (ClientResponseException e)
        {
            _error = Errors.Describe(e);
            _collection = [];
            _items = [];
            return;
        }

        // Wide collections start with the first few columns; the rest are one click away in Columns.
        foreach (var name in Json.Fields(_collection).Select(f => Json.Str(f, "name")).Where(n => n != "id").Skip(6))
        {
            _hidden.Add(name);
        }

        await LoadAsync();

        // The realtime connection may take a while to open; the page does not wait for it.
        _ = SubscribeAsync();
    }

    private async Task LoadAsync()
    {
        _loading = true;
        _error = null;
        try
        {
            var options = new ListOptions { Filter = NullIfEmpty(_filter), Sort = NullIfEmpty(_sort), SkipTotal = true };
            var page = await Client.Collection(Name).GetListAsync(_page, _perPage, options);
            _items = page.Items.ToList();
            _hasMore = _items.Count == _perPage;
            _ = CountAsync();
        }
        catch (ClientResponseException e)
        {
            _error = Errors.Describe(e) + await FilterProblemAsync(e);
            _items = [];
        }
        finally
        {
            _loading = false;
        }
    }

    /// <summary>
    /// PocketBase answers an unusable filter with its generic 400; the check the filter box uses says what is wrong
    /// (an unknown field, a syntax error at a position), so the page shows both.
    /// </summary>
    private async Task<string> FilterProblemAsync(ClientResponseException e)
    {
        if (e.Status != 400 || string.IsNullOrEmpty(_filter))
        {
            return "";
        }

        try
        {
            var check = await Client.Collections.CheckExpressionAsync(JsonValue.Create(Name), "filter", _filter);
            return check.Valid ? "" : $" Filter: {check.Message}" + (check.Position is { } p ? $" (at {p + 1})." : ".");
        }
        catch (ClientResponseException)
        {
            return "";
        }
    }

    /// <summary>The total for the pager, in its own request so a slow count never holds the page back.</summary>
    private async Task CountAsync()
    {
        await _countCancel.CancelAsync();
        _countCancel.Dispose();
        _countCancel = new CancellationTokenSource();
        var cancel = _countCancel.Token;
        _total = null;
        try
        {
            var count = await Client.Collection(Name).GetListAsync(1, 1, new ListOptions { Filter = NullIfEmpty(_filter), Fields = "id" }, cancel);
            _total = count.TotalItems;
            _hasMore = _page * _perPage < count.TotalItems;
            StateHasChanged();
        }
        catch (OperationCanceledException)
        {
        }
        catch (ClientResponseException)
        {
        }
    }

    private async Task SubscribeAsync()
    {
        _subscribed = Name;
        try
        {
            _subscription = await Client.Collection(Name).SubscribeAsync("*", _ => InvokeAsync(OnRecordEventAsync));
            _live = true;
        }
        catch (ClientResponseException)
        {
            _live = false;
        }

        await InvokeAsync(StateHasChanged);
    }

    /// <summary>Reloads the page on a change; a burst of events coalesces into the reloads already queued.</summary>
    private async Task OnRecordEventAsync()
    {
        if (Interlocked.Increment(ref _reloads) > 1)
        {
            return;
        }

        await Task.Delay(150);
        Interlocked.Exchange(ref _reloads, 0);
        await LoadAsync();
        StateHasChanged();
    }

    private async Task UnsubscribeAsync()
    {
        if (_subscription is not null)
        {
            await _subscription.DisposeAsync();
            _subscription = null;
        }

        _subscribed = "";
        _live = false;
    }

    private async Task ApplyFilterAsync()
    {
        _filter = _filterText.Trim();
        _page = 1;
        await LoadAsync();
    }

    private async Task SortByAsync(string column)
    {
        _sort = _sort == column ? "-" + column : _sort == "-" + column ? "" : column;
        _page = 1;
        await LoadAsync();
    }

    private string SortMark(string column) => _sort == column ? "↑" : _sort == "-" + column ? "↓" : "";

    private string AriaSort(string column) => _sort == column ? "ascending" : _sort == "-" + column ? "descending" : "none";

    private async Task GoAsync(int page)
    {
        _page = Math.Max(1, page);
        await LoadAsync();
    }

    private async Task SetPerPageAsync(string? value)
    {
        _perPage = int.TryParse(value, out var n) ? n : 20;
        _page = 1;
        await LoadAsync();
    }

    private void ToggleColumn(string name, bool visible)
    {
        if (visible)
        {
            _hidden.Remove(name);
        }
        else
        {
            _hidden.Add(name);
        }
    }

    private string Cell(JsonObject item, string column)
    {
        var type = Json.Str(Json.Fields(_collection).FirstOrDefault(f => Json.Str(f, "name") == column), "type");
        var text = Json.Display(item[column]);
        text = type is "date" or "autodate" ? Dates.Local(text) : text;
        return text.Length > 80 ? text[..80] + "…" : text;
    }

    private void Select(string id, bool on)
    {
        if (on)
        {
            _selected.Add(id);
        }
        else
        {
            _selected.Remove(id);
        }
    }

    private void SelectAll(bool on)
    {
        foreach (var item in _items)
        {
            Select(Json.Str(item, "id"), on);
        }
    }

    private async Task DeleteSelectedAsync()
    {
        if (!await Browser.ConfirmAsync($"Delete {_selected.Count} record(s)? This cannot be undone."))
        {
            return;
        }

        var failed = 0;
        foreach (var id in _selected.ToList())
        {
            try
            {
                await Client.Collection(Name).DeleteAsync(id);
                _selected.Remove(id);
            }
            catch (ClientResponseException)
            {
                failed++;
            }
        }

        if (failed > 0)
        {
            Toasts.Error($"{failed} record(s) could not be deleted (a required relation may point to them).");
        }
        else
        {
            Toasts.Success("Deleted.");
        }

        await LoadAsync();
    }

    private void Open(JsonObject? record)
    {
        _editRecord = record;
        _editing = true;
    }

    private async Task OnSavedAsync()
    {
        _editing = false;
        await LoadAsync();
    }

    private static string? NullIfEmpty(string text) => string.IsNullOrWhiteSpace(text) ? null : text;

    public async ValueTask DisposeAsync()
    {
        await UnsubscribeAsync();
        await _countCancel.CancelAsync();
        _countCancel.Dispose();
    }
}
