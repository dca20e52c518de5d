namespace Basalt.Crons;

/// <summary>A scheduled job: its id, its cron expression (five fields or a macro such as <c>@daily</c>, UTC) and its work.</summary>
public sealed record CronJob(string Id, string Expression, Func<CancellationToken, Task> RunAsync);
