using Basalt.Common;
using Microsoft.Extensions.Logging;

namespace Basalt.Migrations;

/// <summary>The log messages of migrations: one applied, reverted or written by automigrate, and a file that could not be written.</summary>
internal static partial class Log
{
    [LoggerMessage(BasaltEventIds.MigrationApplied, LogLevel.Information, "Applied the migration {File} ({Changes} collection changes)")]
    public static partial void MigrationApplied(ILogger logger, string file, int changes);

    [LoggerMessage(BasaltEventIds.MigrationReverted, LogLevel.Information, "Reverted the migration {File} ({Changes} collection changes)")]
    public static partial void MigrationReverted(ILogger logger, string file, int changes);

    [LoggerMessage(BasaltEventIds.AutomigrateWrote, LogLevel.Information, "Automigrate wrote the migration {File} ({Changes} collection changes)")]
    public static partial void AutomigrateWrote(ILogger logger, string file, int changes);

    [LoggerMessage(BasaltEventIds.AutomigrateWriteFailed, LogLevel.Error, "Automigrate could not write a migration file in {Folder}; the collection change was refused")]
    public static partial void AutomigrateWriteFailed(ILogger logger, Exception exception, string folder);

    [LoggerMessage(BasaltEventIds.AutomigrateFileLeft, LogLevel.Warning, "Automigrate wrote {File} for a collection change that did not commit, and could not remove it; delete it by hand")]
    public static partial void AutomigrateFileLeft(ILogger logger, Exception exception, string file);

    [LoggerMessage(BasaltEventIds.MigrationsAppliedAtStart, LogLevel.Information, "Applied {Count} pending migrations from {Folder} at start")]
    public static partial void MigrationsAppliedAtStart(ILogger logger, int count, string folder);
}
