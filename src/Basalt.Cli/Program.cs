using Basalt.Cli;

try
{
    var parsed = CliArguments.Parse(args);
    var command = parsed.Positional.FirstOrDefault();
    if (parsed.Help || command is null)
    {
        Console.WriteLine(Usage.Text);
        return parsed.Help ? 0 : 2;
    }

    return command switch
    {
        "serve" when parsed.Positional.Count == 1 => await ServeCommand.RunAsync(parsed, Console.Out),
        "superuser" => await SuperuserCommand.RunAsync(parsed, Console.Out, Console.Error),
        "backup" => await BackupCommand.RunAsync(parsed, Console.Out, Console.Error),
        "import" => await ImportCommand.RunAsync(parsed, Console.Out, Console.Error),
        "export" => await ExportCommand.RunAsync(parsed, Console.Out, Console.Error),
        "migrate" => await MigrateCommand.RunAsync(parsed, Console.Out, Console.Error),
        _ => throw new CliUsageException($"Unknown command \"{string.Join(' ', parsed.Positional)}\". Run basalt --help."),
    };
}
catch (CliUsageException e)
{
    Console.Error.WriteLine($"Error: {e.Message}");
    return 2;
}
catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException or System.Data.Common.DbException or ArgumentException)
{
    // Start-up failures a user can fix (port in use, folder not writable, database unreachable, bad connection string):
    // the message, no stack trace.
    Console.Error.WriteLine($"Error: {e.Message}");
    return 1;
}
