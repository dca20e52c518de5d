using System.Globalization;
using System.Text.RegularExpressions;

namespace Basalt.Migrations;

/// <summary>
/// The migrations folder: files named <c>TIMESTAMP_NAME.json</c> (Unix seconds, then letters, digits, <c>_</c> or
/// <c>-</c>), applied in timestamp order. Other extensions are left alone (a README may live here); a <c>.json</c> file
/// whose name does not fit is refused, so a misnamed migration is never silently skipped.
/// </summary>
public sealed partial class MigrationFolder(string path)
{
    public const int MaxNameLength = 100;

    public string Path { get; } = path;

    /// <summary>Refuses a migration name that is empty, too long, or holds anything but letters, digits, <c>_</c> and <c>-</c> (so no path).</summary>
    public static void CheckName(string name)
    {
        if (!NameRegex().IsMatch(name))
        {
            var shown = name.Length > 40 ? name[..40] + "…" : name;
            throw new MigrationException(
                $"A migration name uses only letters, digits, \"_\" and \"-\" (1 to {MaxNameLength} characters): " +
                $"\"{string.Concat(shown.Select(c => char.IsControl(c) ? '?' : c))}\" is not one.");
        }
    }

    /// <summary>Every migration file, in the order they apply; throws when any of them does not read, so nothing is half done.</summary>
    public async Task<IReadOnlyList<MigrationFile>> ReadAllAsync(CancellationToken cancellationToken)
    {
        var files = new List<(long Timestamp, MigrationFile File)>();
        foreach (var (timestamp, name) in FileNames())
        {
            var full = System.IO.Path.Combine(Path, name);
            var length = new FileInfo(full).Length;
            if (length > MigrationFile.MaxBytes)
            {
                throw new MigrationException($"The migration {name} is {length} bytes; the limit is {MigrationFile.MaxBytes}.");
            }

            files.Add((timestamp, MigrationFile.Parse(name, await File.ReadAllBytesAsync(full, cancellationToken))));
        }

        return [.. files.OrderBy(f => f.Timestamp).ThenBy(f => f.File.FileName, StringComparer.Ordinal).Select(f => f.File)];
    }

    /// <summary>
    /// The file name of a new migration: <paramref name="now"/> in Unix seconds, or one second after the latest file when
    /// that is later (two changes in one second, or a clock behind a teammate's), so the new file always applies last.
    /// </summary>
    public string NextFileName(string name, DateTimeOffset now)
    {
        CheckName(name);
        var latest = FileNames().Select(f => f.Timestamp).DefaultIfEmpty(0).Max();
        var timestamp = Math.Max(now.ToUnixTimeSeconds(), latest + 1);
        return timestamp.ToString(CultureInfo.InvariantCulture) + "_" + name + ".json";
    }

    /// <summary>Writes a new file whole or not at all (a temporary file, flushed to disk, then renamed), creating the folder; returns its path.</summary>
    public string Write(string fileName, byte[] content)
    {
        Directory.CreateDirectory(Path);
        var full = System.IO.Path.Combine(Path, fileName);
        var temporary = System.IO.Path.Combine(Path, "." + fileName + ".tmp");
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            stream.Write(content);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, full, overwrite: false);
        return full;
    }

    /// <summary>Removes a file this process wrote for a change that then did not commit.</summary>
    public void Delete(string fileName) => File.Delete(System.IO.Path.Combine(Path, fileName));

    /// <summary>The <c>.json</c> files of the folder with their timestamps; none when the folder does not exist.</summary>
    private IEnumerable<(long Timestamp, string Name)> FileNames()
    {
        if (!Directory.Exists(Path))
        {
            yield break;
        }

        foreach (var full in Directory.EnumerateFiles(Path, "*.json", SearchOption.TopDirectoryOnly))
        {
            var name = System.IO.Path.GetFileName(full);
            var match = FileNameRegex().Match(name);
            if (!match.Success || !long.TryParse(match.Groups[1].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var timestamp))
            {
                throw new MigrationException(
                    $"{name} in {Path} is not named as a migration (TIMESTAMP_NAME.json, e.g. 1735689600_add_posts.json); rename or move it.");
            }

            yield return (timestamp, name);
        }
    }

    [GeneratedRegex(@"^[A-Za-z0-9_-]{1,100}\z")]
    private static partial Regex NameRegex();

    [GeneratedRegex(@"^([0-9]{1,18})_[A-Za-z0-9_-]{1,100}\.json\z")]
    private static partial Regex FileNameRegex();
}
