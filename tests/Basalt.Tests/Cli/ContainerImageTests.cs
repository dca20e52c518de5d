using System.Text.RegularExpressions;

namespace Basalt.Tests.Cli;

/// <summary>
/// The container image as far as a machine without a container engine can check it: the Dockerfile has the pieces
/// docs/deploy.md promises (an SDK build stage, an ASP.NET runtime stage, a non-root user, the data volume, a health
/// check on /api/health, the BASALT_* variables the CLI reads), the build context keeps out what it must, and
/// compose.yaml runs Basalt on PostgreSQL. ./test builds the Dockerfile's build stage and runs its health check for real.
/// </summary>
public sealed partial class ContainerImageTests
{
    private static readonly string Root = RepositoryRoot();

    private static string Dockerfile => File.ReadAllText(Path.Combine(Root, "Dockerfile"));

    [Fact]
    public void The_build_stage_publishes_the_cli_in_the_sdk_image_matching_global_json()
    {
        var stages = Stages();
        Assert.Equal(2, stages.Count);
        var (buildImage, buildName, build) = stages[0];
        Assert.Matches(@"^mcr\.microsoft\.com/dotnet/sdk:\d+\.\d+$", buildImage);
        Assert.Equal("build", buildName);
        Assert.Equal(SdkMajorMinor(), buildImage.Split(':')[1]);

        var runs = build.Where(l => l.StartsWith("RUN dotnet ", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, runs.Count);
        Assert.StartsWith("RUN dotnet restore src/Basalt.Cli/Basalt.Cli.csproj -a $TARGETARCH", runs[0], StringComparison.Ordinal);
        Assert.StartsWith("RUN dotnet publish src/Basalt.Cli/Basalt.Cli.csproj -c Release -a $TARGETARCH", runs[1], StringComparison.Ordinal);
        Assert.Contains("--no-restore", runs[1], StringComparison.Ordinal);
        Assert.EndsWith(" -o /app", runs[1], StringComparison.Ordinal);

        // Native AOT in both, or the publish finds no restore of the ahead-of-time compiler; and the linker it needs.
        Assert.Contains("-p:PublishAot=true", runs[0], StringComparison.Ordinal);
        Assert.Contains("-p:PublishAot=true", runs[1], StringComparison.Ordinal);
        Assert.Contains(build, l => l.StartsWith("RUN apt-get", StringComparison.Ordinal) && l.Contains("clang", StringComparison.Ordinal));

        // Every file the build stage copies exists and is not kept out of the context by .dockerignore.
        var ignored = DockerIgnore();
        foreach (var source in build.Where(l => l.StartsWith("COPY ", StringComparison.Ordinal) && !l.Contains("--from", StringComparison.Ordinal))
                     .SelectMany(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..^1]))
        {
            Assert.True(File.Exists(Path.Combine(Root, source)) || Directory.Exists(Path.Combine(Root, source)), $"COPY {source}: not in the repository");
            Assert.DoesNotContain(ignored, pattern => source.TrimEnd('/').Equals(pattern.TrimEnd('/'), StringComparison.Ordinal));
        }
    }

    [Fact]
    public void The_runtime_stage_runs_as_non_root_with_the_data_volume_and_a_health_check()
    {
        var (image, _, runtime) = Stages()[^1];
        Assert.Matches(@"^mcr\.microsoft\.com/dotnet/runtime-deps:\d+\.\d+$", image);
        Assert.Equal(SdkMajorMinor(), image.Split(':')[1]);
        Assert.Contains("COPY --from=build /app ./", runtime);

        var user = Assert.Single(runtime, l => l.StartsWith("USER ", StringComparison.Ordinal))["USER ".Length..];
        Assert.DoesNotMatch(@"^(root|0)(:|$)", user);
        Assert.Contains("VOLUME /basalt_data", runtime);
        Assert.Contains(runtime, l => l.Contains("chown", StringComparison.Ordinal) && l.Contains("/basalt_data", StringComparison.Ordinal));

        var environment = Environment(runtime);
        Assert.Equal("/basalt_data", environment["BASALT_DIR"]);
        var port = environment["BASALT_HTTP"].Split(':')[^1];
        Assert.StartsWith("0.0.0.0:", environment["BASALT_HTTP"], StringComparison.Ordinal);
        Assert.Contains($"EXPOSE {port}", runtime);

        var health = Assert.Single(runtime, l => l.StartsWith("HEALTHCHECK ", StringComparison.Ordinal));
        Assert.Contains("/api/health", health, StringComparison.Ordinal);
        Assert.Contains("${BASALT_HTTP##*:}", health, StringComparison.Ordinal);
        Assert.Contains("ENTRYPOINT [\"basalt\"]", runtime);
        Assert.Contains("CMD [\"serve\"]", runtime);
    }

    [Fact]
    public void Every_BASALT_variable_of_the_image_compose_and_deploy_docs_is_one_the_cli_reads()
    {
        var read = BasaltVariable().Matches(File.ReadAllText(Path.Combine(Root, "src", "Basalt.Cli", "CliArguments.cs"))).Select(m => m.Value).ToHashSet();
        Assert.Contains("BASALT_DIR", read);
        foreach (var file in new[] { "Dockerfile", "compose.yaml", Path.Combine("docs", "deploy.md") })
        {
            var named = BasaltVariable().Matches(File.ReadAllText(Path.Combine(Root, file))).Select(m => m.Value).Distinct().ToList();
            Assert.NotEmpty(named);
            Assert.All(named, v => Assert.True(read.Contains(v), $"{file} names {v}, which the CLI does not read"));
        }
    }

    [Fact]
    public void The_build_context_keeps_out_build_output_data_and_secrets()
    {
        var ignored = DockerIgnore();
        foreach (var pattern in new[] { "**/bin/", "**/obj/", "artifacts/", ".git/", "**/node_modules/", "basalt_data/", "*.db", ".env" })
        {
            Assert.Contains(pattern, ignored);
        }
    }

    [Fact]
    public void Compose_runs_basalt_on_a_healthy_postgresql_with_volumes()
    {
        var compose = File.ReadAllText(Path.Combine(Root, "compose.yaml"));
        Assert.Matches(@"(?m)^  basalt:\n    build: \.$", compose);
        Assert.Matches(@"(?m)^  postgres:\n    image: postgres:\d+$", compose);
        Assert.Matches(@"(?m)^      BASALT_DB: postgres://basalt:\$\{POSTGRES_PASSWORD:\?[^}]*\}@postgres:5432/basalt$", compose);
        Assert.Matches(@"(?m)^      - basalt_data:/basalt_data$", compose);
        Assert.Matches(@"(?m)^      - postgres_data:/var/lib/postgresql/data$", compose);
        Assert.Matches(@"(?m)^        condition: service_healthy$", compose);
        Assert.Contains("pg_isready", compose, StringComparison.Ordinal);
        Assert.DoesNotContain("\t", compose, StringComparison.Ordinal);
    }

    /// <summary>Each stage: its image, its name (after AS), and its instructions with continuation lines joined.</summary>
    private static List<(string Image, string? Name, List<string> Lines)> Stages()
    {
        var stages = new List<(string, string?, List<string>)>();
        foreach (var line in Instructions())
        {
            var from = FromLine().Match(line);
            if (from.Success)
            {
                stages.Add((from.Groups["image"].Value, from.Groups["name"].Success ? from.Groups["name"].Value : null, []));
            }
            else if (stages.Count > 0)
            {
                stages[^1].Item3.Add(line);
            }
        }

        return stages;
    }

    private static IEnumerable<string> Instructions()
    {
        var current = "";
        foreach (var raw in Dockerfile.Split('\n'))
        {
            var line = raw.TrimEnd();
            if (current.Length == 0 && (line.Length == 0 || line.StartsWith('#')))
            {
                continue;
            }

            if (line.EndsWith('\\'))
            {
                current += line[..^1].Trim() + " ";
                continue;
            }

            yield return (current + line.Trim()).Trim();
            current = "";
        }
    }

    private static Dictionary<string, string> Environment(List<string> lines)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in lines.Where(l => l.StartsWith("ENV ", StringComparison.Ordinal)))
        {
            foreach (Match pair in EnvPair().Matches(line["ENV ".Length..]))
            {
                result[pair.Groups[1].Value] = pair.Groups[2].Value;
            }
        }

        return result;
    }

    private static List<string> DockerIgnore() =>
        [.. File.ReadAllLines(Path.Combine(Root, ".dockerignore")).Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#'))];

    /// <summary>The SDK band of global.json as an image tag: 10.0.100 → 10.0.</summary>
    private static string SdkMajorMinor()
    {
        var version = SdkVersion().Match(File.ReadAllText(Path.Combine(Root, "global.json"))).Groups[1].Value;
        return string.Join('.', version.Split('.')[..2]);
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Basalt.slnx")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Basalt.slnx not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex(@"^FROM (?:--platform=\S+ )?(?<image>\S+)(?: AS (?<name>\w+))?$")]
    private static partial Regex FromLine();

    [GeneratedRegex(@"(\w+)=(\S+)")]
    private static partial Regex EnvPair();

    [GeneratedRegex(@"\bBASALT_[A-Z_]+\b")]
    private static partial Regex BasaltVariable();

    [GeneratedRegex("\"version\"\\s*:\\s*\"([0-9.]+)\"")]
    private static partial Regex SdkVersion();
}
