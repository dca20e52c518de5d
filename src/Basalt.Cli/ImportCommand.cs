using Basalt.Hosting;
using Basalt.PocketBaseImport;

namespace Basalt.Cli;

/// <summary>
/// <c>basalt import pocketbase PB_DATA_DIR [--dry-run]</c>: reads the source first (a folder that is not PocketBase's, or
/// a damaged database, fails before the target is touched), then opens Basalt's database as <c>serve</c> would, plans,
/// and either prints the plan (<c>--dry-run</c>) or carries it out with a progress line on standard error.
/// </summary>
internal static class ImportCommand
{
    public static async Task<int> RunAsync(CliArguments args, TextWriter output, TextWriter error)
    {
        var positional = args.Positional;
        var folder = positional switch
        {
            [_, "pocketbase", var dir] => dir,
            [_, var dir] when dir != "pocketbase" => dir,
            _ => throw new CliUsageException("Usage: basalt import pocketbase PB_DATA_DIR [--dry-run] [--dir PATH] [--db URL]"),
        };
        args.Apply(new BasaltOptions());

        ImportSource source;
        try
        {
            source = await ImportSource.OpenAsync(folder, CancellationToken.None);
        }
        catch (ImportFailedException e)
        {
            await error.WriteLineAsync($"Error: {e.Message}");
            return 1;
        }

        await using (source)
        {
            var builder = Host.CreateApplicationBuilder();
            CliLogging.Configure(builder.Logging, args, toStandardError: true);
            builder.Services.AddBasalt(args.Apply);
            using var host = builder.Build();
            using var stop = new CancellationTokenSource();
            Console.CancelKeyPress += (_, e) =>
            {
                e.Cancel = true;
                stop.Cancel();
            };

            await host.StartAsync();
            try
            {
                var importer = host.Services.GetRequiredService<PocketBaseImporter>();
                var plan = await importer.PlanAsync(source, stop.Token);
                if (args.Flag("dry-run"))
                {
                    await output.WriteLineAsync("Dry run: nothing is written. The import would do this:");
                    foreach (var line in plan.Describe())
                    {
                        await output.WriteLineAsync(line);
                    }

                    return 0;
                }

                var progress = new ProgressLine(error, !Console.IsErrorRedirected);
                var summary = await importer.RunAsync(plan, source, progress.Report, stop.Token);
                progress.End();
                await output.WriteLineAsync(
                    $"Imported {summary.Collections} collections, {ImportPlan.Count(summary.Records, "record")} ({summary.Superusers} superusers) and " +
                    $"{ImportPlan.Count(summary.Files, "file")} ({ImportPlan.Bytes(summary.Bytes)}) in {summary.Elapsed.TotalSeconds:0.0} s " +
                    $"({summary.RecordsPerSecond:N0} records/s).");
                if (summary.Notes.Count > 0)
                {
                    await output.WriteLineAsync("Not carried:");
                    foreach (var note in summary.Notes)
                    {
                        await output.WriteLineAsync("  " + note);
                    }
                }

                return 0;
            }
            catch (ImportFailedException e)
            {
                await error.WriteLineAsync($"Error: {e.Message}");
                return 1;
            }
            finally
            {
                await host.StopAsync();
            }
        }
    }
}
