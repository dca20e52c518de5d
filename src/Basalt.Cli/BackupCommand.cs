using System.Globalization;
using Basalt.Backups;
using Basalt.Collections;
using Basalt.Errors;
using Basalt.Hosting;
using Basalt.Storage;

namespace Basalt.Cli;

/// <summary>
/// <c>basalt backup create [NAME] | list | restore NAME</c>: the engine without its HTTP server or cron jobs, on the same
/// data folder and database as <c>serve</c>. Works with the server stopped; <c>create</c> and <c>list</c> are also safe
/// beside a running server (a backup is online), <c>restore</c> is meant for a stopped one (a running server keeps its
/// caches: restore through the API instead).
/// </summary>
internal static class BackupCommand
{
    public const string UsageLine = "Usage: basalt backup create [NAME] | list | restore NAME [--dir PATH] [--db URL]";

    public static async Task<int> RunAsync(CliArguments args, TextWriter output, TextWriter error)
    {
        var verb = args.Positional.ElementAtOrDefault(1);
        var name = args.Positional.ElementAtOrDefault(2);
        var valid = (verb, args.Positional.Count) switch
        {
            ("create", 2 or 3) or ("list", 2) or ("restore", 3) => true,
            _ => false,
        };
        if (!valid)
        {
            throw new CliUsageException(UsageLine);
        }

        args.Apply(new BasaltOptions());
        var builder = Host.CreateApplicationBuilder();
        CliLogging.Configure(builder.Logging, args, toStandardError: true);
        builder.Services.AddBasalt(o =>
        {
            args.Apply(o);
            o.CronJobs = false;
        });
        var host = builder.Build();
        await using var stopping = (IAsyncDisposable)host;

        // Not the host's start: its background services (the start-up sweep of stored files above all) belong to the
        // server, which may be running beside this command. Only the database and the collections are made ready.
        await host.Services.GetRequiredService<IDatabase>().InitializeAsync(CancellationToken.None);
        await host.Services.GetRequiredService<CollectionService>().EnsureSystemCollectionsAsync(CancellationToken.None);
        try
        {
            var backups = host.Services.GetRequiredService<BackupService>();
            var progress = new ProgressLine(error, !Console.IsErrorRedirected);
            switch (verb)
            {
                case "list":
                    await ListAsync(backups, output);
                    break;
                case "create":
                    var created = await backups.CreateAsync(name, progress, CancellationToken.None);
                    progress.End();
                    await output.WriteLineAsync($"Created the backup {created}.");
                    break;
                default:
                    await backups.RestoreAsync(name!, progress, CancellationToken.None); // restore has its NAME: checked above
                    progress.End();
                    await output.WriteLineAsync($"Restored the backup {name}.");
                    break;
            }
        }
        catch (ApiError e)
        {
            await error.WriteLineAsync();
            await error.WriteLineAsync($"Error: {e.Message}");
            foreach (var (field, detail) in e.Data)
            {
                await error.WriteLineAsync($"  {field}: {detail?["message"]}");
            }

            return 1;
        }

        return 0;
    }

    private static async Task ListAsync(BackupService backups, TextWriter output)
    {
        var list = await backups.ListAsync(CancellationToken.None);
        if (list.Count == 0)
        {
            await output.WriteLineAsync("No backups.");
            return;
        }

        var width = Math.Max(3, list.Max(b => b.Key.Length));
        await output.WriteLineAsync($"{"KEY".PadRight(width)}  {"SIZE",12}  MODIFIED (UTC)");
        foreach (var backup in list)
        {
            await output.WriteLineAsync($"{backup.Key.PadRight(width)}  {backup.Size.ToString("N0", CultureInfo.InvariantCulture),12}  {backup.Modified.UtcDateTime:yyyy-MM-dd HH:mm:ss}");
        }
    }
}
