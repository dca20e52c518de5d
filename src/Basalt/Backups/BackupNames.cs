using System.Globalization;
using System.Text.RegularExpressions;
using Basalt.Files;

namespace Basalt.Backups;

/// <summary>
/// Backup names. One given to <c>POST /api/backups</c> matches <c>^[a-z0-9_-]+\.zip$</c> (as PocketBase's); scheduled
/// ones start with <c>@auto_</c>, which no given name can, so retention never deletes a backup made by hand; an
/// uploaded one keeps its file name if that is a plain file name ending in <c>.zip</c>.
/// </summary>
public static partial class BackupNames
{
    public const string AutoPrefix = "@auto_";
    public const int MaxLength = 150;

    /// <summary><c>pb_backup_APP_yyyyMMddHHmmss.zip</c>, the app name lowercased with anything else than <c>[a-z0-9_]</c> dropped.</summary>
    public static string Default(string appName, DateTimeOffset now)
    {
        var app = NotNameCharacters().Replace(appName.ToLowerInvariant().Replace(' ', '_'), "");
        return $"pb_backup_{(app.Length > 0 ? app : "basalt")}_{now.UtcDateTime.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture)}.zip";
    }

    /// <summary>The name of a scheduled backup.</summary>
    public static string Auto(string appName, DateTimeOffset now) => AutoPrefix + Default(appName, now);

    /// <summary>A name a client may give a new backup.</summary>
    public static bool IsValidNew(string name) => name.Length <= MaxLength && NewName().IsMatch(name);

    /// <summary>
    /// A name that may be stored, served, deleted or restored: one safe path segment ending in <c>.zip</c>, not
    /// hidden (work files start with a dot), so no name can reach outside the backups folder.
    /// </summary>
    public static bool IsStored(string name) =>
        name.Length <= MaxLength && FileKeys.IsSafeSegment(name) && !name.StartsWith('.') &&
        name.EndsWith(".zip", StringComparison.Ordinal) && StoredName().IsMatch(name);

    [GeneratedRegex("^[a-z0-9_-]+\\.zip$")]
    private static partial Regex NewName();

    [GeneratedRegex("^[A-Za-z0-9@_.-]+$")]
    private static partial Regex StoredName();

    [GeneratedRegex("[^a-z0-9_]")]
    private static partial Regex NotNameCharacters();
}
