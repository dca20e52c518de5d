using System.Collections.Concurrent;

namespace Basalt.Tests.Fixtures;

/// <summary>
/// A real in-memory <see cref="ILoggerProvider"/>: added to a test server's logging (or wrapped around a component's
/// logger) it keeps every entry, so tests assert on event ids and structured fields as a log pipeline would see them.
/// </summary>
public sealed class CapturedLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<CapturedLog> _entries = new();

    public IReadOnlyList<CapturedLog> Entries => [.. _entries];

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    /// <summary>A logger of this provider for a component a test builds itself.</summary>
    public ILogger<T> CreateLogger<T>() => new Logger<T>(new Factory(this));

    /// <summary>The entries with <paramref name="eventId"/>, in the order they were written.</summary>
    public IReadOnlyList<CapturedLog> WithId(int eventId) => [.. _entries.Where(e => e.EventId == eventId)];

    /// <summary>Waits for an entry matching <paramref name="match"/>: some are written on a background loop or a callback.</summary>
    public async Task<CapturedLog> WaitForAsync(int eventId, Func<CapturedLog, bool>? match = null, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            if (_entries.FirstOrDefault(e => e.EventId == eventId && (match is null || match(e))) is { } found)
            {
                return found;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"No log event {eventId} matched; logged: {string.Join(" | ", _entries.Select(e => $"{e.EventId} {e.Message}"))}");
            }

            await Task.Delay(20);
        }
    }

    public void Dispose()
    {
    }

    private sealed class Logger(CapturedLogs owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var fields = state as IReadOnlyList<KeyValuePair<string, object?>> ?? [];
            owner._entries.Enqueue(new CapturedLog(category, logLevel, eventId.Id, formatter(state, exception), fields, exception));
        }
    }

    private sealed class Factory(CapturedLogs owner) : ILoggerFactory
    {
        public void AddProvider(ILoggerProvider provider)
        {
        }

        public ILogger CreateLogger(string categoryName) => owner.CreateLogger(categoryName);

        public void Dispose()
        {
        }
    }
}

/// <summary>One captured log entry: its structured fields are the template's placeholders (plus <c>{OriginalFormat}</c>).</summary>
public sealed record CapturedLog(string Category, LogLevel Level, int EventId, string Message, IReadOnlyList<KeyValuePair<string, object?>> Fields, Exception? Exception)
{
    public object? this[string field] => Fields.FirstOrDefault(f => f.Key == field).Value;

    /// <summary>Every text of the entry: the message, each field's value and the exception; for "never logged" checks.</summary>
    public string AllText => string.Join("\n", [Message, .. Fields.Select(f => f.Value?.ToString()), Exception?.ToString()]);
}
