using System.Diagnostics;
using System.Globalization;
using Amazon.Runtime;
using Amazon.S3;
using Basalt.Settings;

namespace Basalt.Tests.Fixtures;

/// <summary>
/// A real S3-compatible server for the tests: npm's <c>s3rver</c> (pinned in tests/sdk/package.json, installed by
/// <c>npm ci</c> there, which ./test runs before the .NET tests) on a free loopback port over a temp folder, shared by
/// the whole test run and stopped when it ends (the node process also exits, removing its folder, when the test host's
/// pipe to it closes, so a killed test run leaves no server behind). Each fixture gets a bucket of its own from <see cref="CreateBucketAsync"/>.
/// </summary>
public static class S3TestServer
{
    /// <summary>s3rver's one built-in account.</summary>
    public const string AccessKey = "S3RVER";
    public const string Secret = "S3RVER";
    public const string Region = "us-east-1";

    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static string? _endpoint;
    private static string? _directory;
    private static volatile bool _stopping;
    private static int _restarts;

    /// <summary>Where s3rver keeps an object's bytes: its mtime is the object's LastModified.</summary>
    public static string ObjectPath(string bucket, string key) =>
        Path.Combine(_directory ?? throw new InvalidOperationException("s3rver is not started"), bucket, key.Replace('/', Path.DirectorySeparatorChar) + "._S3rver_object");

    /// <summary>Creates an empty bucket and returns enabled settings that point at it.</summary>
    public static async Task<S3Settings> CreateBucketAsync()
    {
        var endpoint = await EndpointAsync();
        var bucket = "basalt-" + Guid.NewGuid().ToString("N")[..12];
        var settings = new S3Settings(true, bucket, Region, endpoint, AccessKey, Secret, ForcePathStyle: true);
        using var client = Client(settings);
        await client.PutBucketAsync(bucket);
        return settings;
    }

    /// <summary>A plain SDK client of the bucket, for tests that look at it from outside Basalt.</summary>
    public static AmazonS3Client Client(S3Settings settings) => new(
        new BasicAWSCredentials(settings.AccessKey, settings.Secret),
        new AmazonS3Config
        {
            ServiceURL = settings.Endpoint,
            AuthenticationRegion = settings.Region,
            ForcePathStyle = true,
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        });

    private static async Task<string> EndpointAsync()
    {
        await Gate.WaitAsync();
        try
        {
            _endpoint ??= await StartAsync(0);
            return _endpoint;
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>Starts s3rver on <paramref name="port"/> (0: any free one) over <see cref="_directory"/>, made first when null.</summary>
    private static async Task<string> StartAsync(int port)
    {
        var script = Path.Combine(RepositoryRoot(), "tests", "sdk", "node_modules", "s3rver", "bin", "s3rver.js");
        if (!File.Exists(script))
        {
            throw new InvalidOperationException(
                $"The S3 tests need npm's s3rver, which is not installed ({script} is missing): run `npm ci` in tests/sdk " +
                "(./test does this before the .NET tests).");
        }

        var directory = _directory ?? Path.Combine(Path.GetTempPath(), "basalt-s3rver-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(directory);
        var psi = new ProcessStartInfo("node")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = directory,
        };

        // The preloaded module ends s3rver and removes its folder (its working directory) when its stdin, this process's
        // pipe, closes: the test host may be ended without running exit handlers, and s3rver must not outlive it.
        // s3rver encrypts ListObjectsV2 continuation tokens with DES, which OpenSSL 3 only offers in its legacy provider.
        foreach (var arg in new[]
        {
            "--openssl-legacy-provider",
            "--import", "data:text/javascript,process.stdin.on('end',async()=>{(await import('node:fs')).rmSync(process.cwd(),{recursive:true,force:true});process.exit(0)});process.stdin.resume();",
            script, "--directory", directory, "--address", "127.0.0.1", "--port", port.ToString(CultureInfo.InvariantCulture), "--silent", "--no-vhost-buckets",
        })
        {
            psi.ArgumentList.Add(arg);
        }

        Process process;
        try
        {
            process = Process.Start(psi) ?? throw new InvalidOperationException("could not start node");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("The S3 tests need node on the PATH to run s3rver (apt-get install nodejs).", e);
        }

        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            // It prints "S3rver listening on 127.0.0.1:PORT" once the port is bound.
            var line = await process.StandardOutput.ReadLineAsync(deadline.Token);
            if (line is null)
            {
                throw new InvalidOperationException($"s3rver exited before listening ({process.ExitCode}): {await stderr}");
            }

            if (line.StartsWith("S3rver listening on ", StringComparison.Ordinal))
            {
                _directory = directory;
                var endpoint = "http://" + line["S3rver listening on ".Length..].Trim();
                AppDomain.CurrentDomain.ProcessExit += (_, _) =>
                {
                    _stopping = true;
                    Stop(process);
                };

                // s3rver died once in a whole run with nothing to say why (it keeps its objects on disk): start it again
                // on the same port and folder, so the fixtures holding its endpoint carry on, and say what it printed.
                process.EnableRaisingEvents = true;
                process.Exited += (_, _) => _ = RestartAsync(new Uri(endpoint).Port, stderr);
                return endpoint;
            }
        }
    }

    private static async Task RestartAsync(int port, Task<string> stderr)
    {
        if (_stopping || Interlocked.Increment(ref _restarts) > 3)
        {
            return;
        }

        await Console.Error.WriteLineAsync($"s3rver exited; starting it again on port {port}. It printed: {await stderr}");
        await Gate.WaitAsync();
        try
        {
            await StartAsync(port);
        }
        catch (InvalidOperationException e)
        {
            await Console.Error.WriteLineAsync("s3rver did not start again: " + e.Message);
        }
        finally
        {
            Gate.Release();
        }
    }

    private static void Stop(Process process)
    {
        try
        {
            process.StandardInput.Close();
            if (!process.WaitForExit(5_000))
            {
                process.Kill();
            }
        }
        catch (Exception e) when (e is IOException or InvalidOperationException)
        {
            // Already gone: closing the pipe is all it needed.
        }
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
