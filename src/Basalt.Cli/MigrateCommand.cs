using System.Globalization;
using Basalt.Hosting;
using Basalt.Migrations;

namespace Basalt.Cli;

/// <summary>
/// <c>basalt migrate status | up | down [N] | create NAME</c>: opens the database (creating or upgrading its system
/// tables as <c>serve</c> does), runs one migration command against the migrations folder, exits. Meant for a stopped
/// server; a running one applies pending migrations itself when it next starts.
/// </summary>
internal static class MigrateCommand
{
    private const string UsageText =
        "Usage: basalt migrate status | up | down [N] | create NAME  [--migrations PATH] [--dir PATH] [--db URL]";

    public static async Task<int> RunAsync(CliArguments args, TextWriter output, TextWriter error)
    {
        var words = args.Positional;
        var action = words.Count > 1 ? words[1] : "";
        var down = 1;
        var valid = action switch
        {
            "status" or "up" => words.Count == 2,
            "down" => words.Count == 2 || (words.Count == 3 && int.TryParse(words[2], NumberStyles.None, CultureInfo.InvariantCulture, out down) && down > 0),
            "create" => words.Count == 3,
            _ => false,
        };
        if (!valid)
        {
            throw new CliUsageException(UsageText);
        }

        if (action == "create")
        {
            try
            {
                MigrationFolder.CheckName(words[2]);
            }
            catch (MigrationException e)
            {
                throw new CliUsageException(e.Message);
            }
        }

        args.Apply(new BasaltOptions());
        var builder = Host.CreateApplicationBuilder();
        CliLogging.Configure(builder.Logging, args, toStandardError: true);
        builder.Services.AddBasalt(o =>
        {
            args.Apply(o);

            // This command says what is applied; the host must not write or apply migrations on its own.
            o.Automigrate = false;
            o.MigrateAtStart = false;
        });
        using var host = builder.Build();
        await host.StartAsync();
        try
        {
            var migrations = host.Services.GetRequiredService<MigrationService>();
            return action switch
            {
                "status" => await StatusAsync(migrations, output),
                "up" => await UpAsync(migrations, output),
                "down" => await DownAsync(migrations, down, output),
                _ => await CreateAsync(migrations, words[2], output),
            };
        }
        catch (MigrationException e)
        {
            await error.WriteLineAsync($"Error: {e.Message}");
            return 1;
        }
        finally
        {
            await host.StopAsync();
        }
    }

    private static async Task<int> StatusAsync(MigrationService migrations, TextWriter output)
    {
        var states = await migrations.StatusAsync(CancellationToken.None);
        await output.WriteLineAsync($"Migrations folder: {migrations.Folder}");
        if (states.Count == 0)
        {
            await output.WriteLineAsync("No migrations.");
            return 0;
        }

        var width = states.Max(s => s.File.Length);
        foreach (var state in states)
        {
            var note = state.State switch
            {
                MigrationStateKind.Applied => $"applied {state.Applied}",
                MigrationStateKind.Changed => $"applied {state.Applied}; the file has changed since",
                MigrationStateKind.Missing => $"applied {state.Applied}; the file is not in the folder",
                _ => "",
            };
            await output.WriteLineAsync($"  {state.State.ToString().ToLowerInvariant(),-8} {state.File.PadRight(width)}  {note}".TrimEnd());
        }

        var pending = states.Count(s => s.State == MigrationStateKind.Pending);
        await output.WriteLineAsync($"{states.Count - pending} applied, {pending} pending.");
        return 0;
    }

    private static async Task<int> UpAsync(MigrationService migrations, TextWriter output)
    {
        var applied = await migrations.UpAsync(CancellationToken.None);
        foreach (var file in applied)
        {
            await output.WriteLineAsync($"Applied {file.FileName} ({Changes(file.Changes.Count)}).");
        }

        await output.WriteLineAsync(applied.Count == 0 ? $"Nothing to apply: every migration in {migrations.Folder} is applied." : $"{applied.Count} applied.");
        return 0;
    }

    private static async Task<int> DownAsync(MigrationService migrations, int count, TextWriter output)
    {
        var reverted = await migrations.DownAsync(count, CancellationToken.None);
        foreach (var file in reverted)
        {
            await output.WriteLineAsync($"Reverted {file}.");
        }

        await output.WriteLineAsync(reverted.Count == 0 ? "Nothing to revert: no migration is applied." : $"{reverted.Count} reverted.");
        return 0;
    }

    private static async Task<int> CreateAsync(MigrationService migrations, string name, TextWriter output)
    {
        if (await migrations.CreateAsync(name, CancellationToken.None) is not { } created)
        {
            await output.WriteLineAsync("No collection changes since the last migration; no file written.");
            return 0;
        }

        var (path, file) = created;

        await output.WriteLineAsync($"Created {path} ({Changes(file.Changes.Count)}: {string.Join(", ", file.Changes.Select(Describe))}).");
        await output.WriteLineAsync("It is recorded as applied to this database; commit it with your code.");
        return 0;
    }

    private static string Describe(Collections.CollectionChange change) =>
        (change.Before is null ? "created " : change.After is null ? "deleted " : "updated ") + change.Name;

    private static string Changes(int count) => count == 1 ? "1 collection change" : $"{count} collection changes";
}
