namespace Basalt.Dashboard.Services;

/// <summary>Short messages shown at the bottom of the screen (saved, deleted, an error), read by screen readers.</summary>
public sealed class Toasts
{
    private readonly List<Toast> _items = [];

    public event Action? Changed;

    public IReadOnlyList<Toast> Items => _items;

    public void Success(string message) => Add(new Toast(message, false));

    public void Error(string message) => Add(new Toast(message, true));

    public void Dismiss(Toast toast)
    {
        _items.Remove(toast);
        Changed?.Invoke();
    }

    private void Add(Toast toast)
    {
        _items.Add(toast);
        Changed?.Invoke();
        _ = RemoveLaterAsync(toast);
    }

    private async Task RemoveLaterAsync(Toast toast)
    {
        await Task.Delay(toast.IsError ? 8000 : 3000);
        Dismiss(toast);
    }
}

/// <summary>One message of <see cref="Toasts"/>.</summary>
public sealed record Toast(string Message, bool IsError);
