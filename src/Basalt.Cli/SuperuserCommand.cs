using Basalt.Auth;
using Basalt.Errors;
using Basalt.Hosting;

namespace Basalt.Cli;

/// <summary><c>basalt superuser upsert EMAIL PASSWORD</c>: opens the database (creating it if needed), saves, exits.</summary>
internal static class SuperuserCommand
{
    public static async Task<int> RunAsync(CliArguments args, TextWriter output, TextWriter error)
    {
        if (args.Positional.Count != 4 || args.Positional[1] != "upsert")
        {
            throw new CliUsageException("Usage: basalt superuser upsert EMAIL PASSWORD [--dir PATH] [--db URL]");
        }

        var (email, password) = (args.Positional[2], args.Positional[3]);
        args.Apply(new BasaltOptions());

        var builder = Host.CreateApplicationBuilder();
        CliLogging.Configure(builder.Logging, args, toStandardError: true);
        builder.Services.AddBasalt(args.Apply);
        using var host = builder.Build();

        // Starting the host runs the same start-up work as serve: system tables are created or upgraded first.
        await host.StartAsync();
        try
        {
            await host.Services.GetRequiredService<SuperuserService>().UpsertAsync(email, password, CancellationToken.None);
        }
        catch (ApiError e)
        {
            await error.WriteLineAsync($"Error: {e.Message}");
            foreach (var (field, detail) in e.Data)
            {
                await error.WriteLineAsync($"  {field}: {detail?["message"]}");
            }

            return 1;
        }
        finally
        {
            await host.StopAsync();
        }

        await output.WriteLineAsync($"Successfully saved superuser \"{email}\".");
        return 0;
    }
}
