namespace Basalt.Tests.Cluster;

/// <summary>docs/deploy.md shows the nginx configuration the three-node tests run (docs/nginx-basalt.conf), word for word.</summary>
public sealed class NginxConfigDocsTests
{
    [Fact]
    public void Deploy_md_shows_the_nginx_config_the_tests_run()
    {
        var docs = Path.Combine(RepositoryRoot(), "docs");
        var config = File.ReadAllText(Path.Combine(docs, "nginx-basalt.conf"));
        var deploy = File.ReadAllText(Path.Combine(docs, "deploy.md"));
        Assert.Contains("```nginx\n" + config + "```", deploy, StringComparison.Ordinal);
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Basalt.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Basalt.slnx not found above " + AppContext.BaseDirectory);
    }
}
