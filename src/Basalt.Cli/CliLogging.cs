using Microsoft.Extensions.Logging.Console;

namespace Basalt.Cli;

/// <summary>The console log of every command: one line per message, Basalt's at <c>--log-level</c>, the framework's from Warning.</summary>
internal static class CliLogging
{
    public static void Configure(ILoggingBuilder logging, CliArguments args, bool toStandardError)
    {
        var level = args.LogLevel;
        logging.ClearProviders();
        logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.UseUtcTimestamp = true;
            o.TimestampFormat = "yyyy-MM-dd HH:mm:ss.fff'Z' ";
        });

        // A one-shot command keeps stdout for its answer.
        if (toStandardError)
        {
            logging.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        }

        // At Information ASP.NET Core logs every request; Basalt's own Information messages are the calm ones.
        logging.SetMinimumLevel(LogLevel.Warning);
        logging.AddFilter("Basalt", level);

        // ASP.NET Core starts an Activity (a trace id, a span object) for every request whenever this category is
        // enabled at any level, traced or not; its messages are the per-request Information lines dropped above anyway.
        logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.None);

        // A failed start (port in use, database unreachable) is printed once, as one line, by Program.
        logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Critical);
    }
}
