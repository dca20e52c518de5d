using Basalt.Tests.Fixtures;

namespace Basalt.Tests.Cli;

/// <summary>
/// <c>basalt import pocketbase</c> and <c>basalt export</c> as a user runs them: a dry run prints the plan, a run shows
/// its progress with an ETA on standard error and a summary on standard output, and a folder that is not PocketBase's
/// fails with the reason and exit code 1, before the data folder is even created.
/// </summary>
public sealed class ImportCliTests(PocketBaseLegacyApp legacy) : IClassFixture<PocketBaseLegacyApp>
{
    [Fact]
    public async Task A_dry_run_prints_the_plan_then_the_import_and_an_export_run_with_progress()
    {
        var dir = Path.Combine(Path.GetTempPath(), "basalt-cli-import-" + Guid.NewGuid().ToString("N")[..8]);
        var export = dir + "-export";
        try
        {
            var (dryCode, dry) = await CliProcess.RunAsync("import", "pocketbase", legacy.Folder, "--dir", dir, "--dry-run");
            Assert.True(dryCode == 0, dry);
            Assert.Contains("Dry run: nothing is written", dry, StringComparison.Ordinal);
            Assert.Contains("create base \"posts\"", dry, StringComparison.Ordinal);

            var (code, output) = await CliProcess.RunAsync("import", "pocketbase", legacy.Folder, "--dir", dir);
            Assert.True(code == 0, output);
            Assert.Contains("Imported 4 collections, 5 records (1 superusers)", output, StringComparison.Ordinal);
            Assert.Matches(@"records: 5/5 records \(100%\), [0-9,]+ records/s, ETA", output);
            Assert.Contains("Not carried:", output, StringComparison.Ordinal);

            var (again, refused) = await CliProcess.RunAsync("import", "pocketbase", legacy.Folder, "--dir", dir);
            Assert.Equal(1, again);
            Assert.Contains("Basalt already has a collection", refused, StringComparison.Ordinal);

            var (exported, exportOutput) = await CliProcess.RunAsync("export", export, "--dir", dir);
            Assert.True(exported == 0, exportOutput);
            Assert.Contains("Exported ", exportOutput, StringComparison.Ordinal);
            Assert.True(File.Exists(Path.Combine(export, "basalt-export.json")));
        }
        finally
        {
            foreach (var folder in new[] { dir, export })
            {
                if (Directory.Exists(folder))
                {
                    Directory.Delete(folder, recursive: true);
                }
            }
        }
    }

    [Fact]
    public async Task A_folder_that_is_not_PocketBase_fails_with_the_reason_and_touches_nothing()
    {
        var dir = Path.Combine(Path.GetTempPath(), "basalt-cli-import-" + Guid.NewGuid().ToString("N")[..8]);
        var (code, output) = await CliProcess.RunAsync("import", "pocketbase", Path.GetTempPath(), "--dir", dir);

        Assert.Equal(1, code);
        Assert.Contains("Error: ", output, StringComparison.Ordinal);
        Assert.Contains("is not a PocketBase data folder", output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(dir));
    }
}
