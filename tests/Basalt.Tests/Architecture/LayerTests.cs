using System.Text.RegularExpressions;
using Basalt.Hosting;
using Mono.Cecil;

namespace Basalt.Tests.Architecture;

/// <summary>
/// The engine's folders are layers (drawn in docs/code-structure.md): a folder may use its own types and those of the
/// layers below it, never those of a layer above or of a peer on its own layer, so dependencies go one way.
/// </summary>
public sealed partial class LayerTests
{
    /// <summary>
    /// Bottom to top, one row per layer. Folders on one row are peers that do not use each other.
    /// A new folder goes on the lowest row above everything it uses.
    /// </summary>
    internal static readonly string[][] Layers =
    [
        ["Common", "Errors"],
        ["Model"],
        ["Storage"],
        ["Query", "Settings"],
        ["Rules", "Mail", "OpenApi"],
        ["Records"],
        ["Auth", "Collections", "Http"],
        ["Realtime", "Logs", "RateLimits", "Files", "Migrations"],
        ["Backups", "PocketBaseImport"],
        ["Crons", "Observability"],
        ["Api"],
        ["Hosting"],
    ];

    private static readonly Dictionary<string, int> Rank = Layers
        .SelectMany((row, rank) => row.Select(folder => (folder, rank)))
        .ToDictionary(x => x.folder, x => x.rank, StringComparer.Ordinal);

    private static string EngineAssembly => typeof(BasaltOptions).Assembly.Location;

    /// <summary>Reads the compiled engine, so a use through <c>var</c>, a lambda or a full name counts; constants are inlined and do not.</summary>
    [Fact]
    public void No_type_uses_a_type_of_a_folder_above_or_beside_its_own()
    {
        var offending = TypeReferences.Within(EngineAssembly)
            .Select(pair => (From: Name(pair.From), To: Name(pair.To)))
            .Where(pair => pair.From.Folder is not null && pair.To.Folder is not null && !MayUse(pair.From.Folder, pair.To.Folder))
            .Select(pair => $"{pair.From.Folder} -> {pair.To.Folder}: {pair.From.FullName} uses {pair.To.FullName}")
            .Order(StringComparer.Ordinal)
            .ToList();

        Assert.True(offending.Count == 0, "Types that use a layer above or beside their own:\n" + string.Join('\n', offending));
    }

    /// <summary>Catches what the compiled code cannot show: a constant of a higher layer, which the compiler copies in.</summary>
    [Fact]
    public void No_source_file_imports_a_namespace_of_a_folder_above_or_beside_its_own()
    {
        var source = Path.Combine(RepositoryRoot(), "src", "Basalt");
        var offending = new List<string>();
        foreach (var file in Directory.EnumerateFiles(source, "*.cs", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(source, file).Replace('\\', '/');
            var folder = relative.Split('/')[0];
            if (!Rank.ContainsKey(folder))
            {
                continue;
            }

            foreach (Match import in EngineUsing().Matches(File.ReadAllText(file)))
            {
                var used = import.Groups[1].Value;
                if (Rank.ContainsKey(used) && !MayUse(folder, used))
                {
                    offending.Add($"{folder} -> {used}: {relative} imports Basalt.{used}");
                }
            }
        }

        offending.Sort(StringComparer.Ordinal);
        Assert.True(offending.Count == 0, "Source files that import a layer above or beside their own:\n" + string.Join('\n', offending));
    }

    [Fact]
    public void Every_folder_of_the_engine_is_on_exactly_one_layer()
    {
        using var module = ModuleDefinition.ReadModule(EngineAssembly);
        var folders = module.Types.Select(t => Name(t).Folder).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var listed = Layers.SelectMany(row => row).ToList();

        Assert.Empty(folders.Except(listed).Order(StringComparer.Ordinal));
        Assert.Empty(listed.Except(folders).Order(StringComparer.Ordinal));
        Assert.Equal(listed.Count, listed.Distinct(StringComparer.Ordinal).Count());
    }

    private static bool MayUse(string from, string to) => from == to || Rank[to] < Rank[from];

    /// <summary>The top folder of a type of the engine (<c>Basalt.Storage.Sqlite</c> → <c>Storage</c>); null for generated types outside it.</summary>
    private static (string? Folder, string FullName) Name(TypeDefinition type) =>
        (type.Namespace.Split('.') is ["Basalt", var folder, ..] ? folder : null, type.FullName);

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Basalt.slnx")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Basalt.slnx not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex(@"^using Basalt\.(\w+)[\w.]*;", RegexOptions.Multiline)]
    private static partial Regex EngineUsing();
}
