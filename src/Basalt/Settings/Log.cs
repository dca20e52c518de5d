using Basalt.Common;
using Microsoft.Extensions.Logging;

namespace Basalt.Settings;

/// <summary>The log messages of the settings.</summary>
internal static partial class Log
{
    // Section names only: a section's values may hold a secret (smtp.password, s3.secret), which no log may show.
    [LoggerMessage(BasaltEventIds.SettingsChanged, LogLevel.Information, "Changed the settings: {Sections}")]
    public static partial void SettingsChanged(ILogger logger, string sections);
}
