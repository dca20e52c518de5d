namespace Basalt.Logs;

/// <summary>One page of logs; the totals are -1 when the count was skipped.</summary>
public sealed record LogPage(int Page, int PerPage, long TotalItems, long TotalPages, IReadOnlyList<LogEntry> Items);
