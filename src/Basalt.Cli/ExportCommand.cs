using Basalt.Hosting;
using Basalt.PocketBaseImport;

namespace Basalt.Cli;

/// <summary><c>basalt export DIR</c>: writes everything to the new folder DIR, which <c>basalt import</c> reads back.</summary>
internal static class ExportCommand
{
    public static async Task<int> RunAsync(CliArguments args, TextWriter output, TextWriter error)
    {
        if (args.Positional.Count != 2)
        {
            throw new CliUsageException("Usage: basalt export DIR [--dir PATH] [--db URL]");
        }

        args.Apply(new BasaltOptions());
        var builder = Host.CreateApplicationBuilder();
        CliLogging.Configure(builder.Logging, args, toStandardError: true);
        builder.Services.AddBasalt(args.Apply);
        using var host = builder.Build();
        await host.StartAsync();
        try
        {
            var progress = new ProgressLine(error, !Console.IsErrorRedirected);
            var summary = await host.Services.GetRequiredService<BasaltExporter>().ExportAsync(args.Positional[1], progress.Report, CancellationToken.None);
            progress.End();
            await output.WriteLineAsync(
                $"Exported {summary.Collections} collections, {ImportPlan.Count(summary.Records, "record")} and " +
                $"{ImportPlan.Count(summary.Files, "file")} ({ImportPlan.Bytes(summary.Bytes)}) to {Path.GetFullPath(args.Positional[1])} in {summary.Elapsed.TotalSeconds:0.0} s.");
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
