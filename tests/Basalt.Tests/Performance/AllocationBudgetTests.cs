using System.Text.Json.Nodes;
using Basalt.Micro;

namespace Basalt.Tests.Performance;

/// <summary>The budget test measures allocations, so it runs alone: other tests' threads would add to the process-wide count.</summary>
[CollectionDefinition(nameof(AllocationBudgetTests), DisableParallelization = true)]
public sealed class AllocationBudgetCollection;

/// <summary>
/// Allocation budgets of the hot paths (issue 17, as Garnet checks its benchmarks'): each operation of
/// <see cref="HotPaths"/> runs a few hundred times and its bytes allocated per operation must stay within
/// bench/Micro/allocation-budgets.json, so a change that doubles them fails here. A budget far above what is measured
/// also fails, so budgets follow improvements down. Bytes are counted, not time: the test is exact and takes well under a
/// second. When a change rightly moves a figure, the failure prints the measured value to put in the file.
/// </summary>
[Collection(nameof(AllocationBudgetTests))]
public sealed class AllocationBudgetTests : IAsyncLifetime
{
    private const int Operations = 200;
    private const int Rounds = 3;

    private HotPaths _paths = null!;

    public static TheoryData<string> Paths => new(Budgets().Select(b => b.Key));

    public async Task InitializeAsync() =>
        _paths = await HotPaths.CreateAsync(Path.Combine(Path.GetTempPath(), "basalt-budget-" + Guid.NewGuid().ToString("N")));

    public async Task DisposeAsync() => await _paths.DisposeAsync();

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task Each_hot_path_allocates_within_its_budget(string path)
    {
        var budget = Budgets()[path];
        var measured = path switch
        {
            "CompileFilterCold" => OnThisThread(() => _paths.CompileFilterCold()),
            "CompileFilterCached" => OnThisThread(() => _paths.CompileFilterCached()),
            "EvaluateRule" => OnThisThread(() => _paths.EvaluateRule()),
            "SerializeRecord" => OnThisThread(() => _paths.SerializeRecord()),
            "SerializeRecordWithFields" => OnThisThread(() => _paths.SerializeRecordWithFields()),
            "ReadPage" => await InProcessAsync(() => _paths.ReadPageAsync()),
            "ParseAndValidateBody" => OnThisThread(() => _paths.ParseAndValidateBody()),
            "GroupCommit" => await InProcessAsync(() => _paths.GroupCommitAsync()),
            _ => throw new InvalidOperationException("No hot path named " + path),
        };

        Assert.True(measured <= budget, $"{path} allocates {measured} bytes per operation, over its budget of {budget} (bench/Micro/allocation-budgets.json).");
        Assert.True(measured * 2 > budget, $"{path} allocates {measured} bytes per operation, under half its budget of {budget}: lower it in bench/Micro/allocation-budgets.json to about {measured * 5 / 4}.");
    }

    [Fact]
    public void Every_hot_path_has_a_budget()
    {
        var methods = typeof(HotPaths).GetMethods().Where(m => m.DeclaringType == typeof(HotPaths) && !m.IsStatic && m.Name != nameof(HotPaths.DisposeAsync))
            .Select(m => m.Name.EndsWith("Async", StringComparison.Ordinal) ? m.Name[..^5] : m.Name);
        Assert.Equal(methods.Order(), Budgets().Keys.Order());
    }

    /// <summary>Bytes per operation on this thread: the fewest of a few rounds, after a warm-up (first-call caches, JIT).</summary>
    private static long OnThisThread<T>(Func<T> operation)
    {
        for (var i = 0; i < Operations; i++)
        {
            operation();
        }

        var fewest = long.MaxValue;
        for (var round = 0; round < Rounds; round++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var i = 0; i < Operations; i++)
            {
                operation();
            }

            fewest = Math.Min(fewest, (GC.GetAllocatedBytesForCurrentThread() - before) / Operations);
        }

        return fewest;
    }

    /// <summary>Bytes per operation in the whole process (the group commit runs on the writer's own task).</summary>
    private static async Task<long> InProcessAsync(Func<Task> operation)
    {
        for (var i = 0; i < Operations / 4; i++)
        {
            await operation();
        }

        var fewest = long.MaxValue;
        for (var round = 0; round < Rounds; round++)
        {
            var before = GC.GetTotalAllocatedBytes(precise: true);
            for (var i = 0; i < Operations; i++)
            {
                await operation();
            }

            fewest = Math.Min(fewest, (GC.GetTotalAllocatedBytes(precise: true) - before) / Operations);
        }

        return fewest;
    }

    private static Dictionary<string, long> Budgets()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Basalt.slnx")))
        {
            directory = directory.Parent;
        }

        var file = Path.Combine(directory?.FullName ?? throw new InvalidOperationException("Basalt.slnx not found"), "bench", "Micro", "allocation-budgets.json");
        var budgets = JsonNode.Parse(File.ReadAllText(file))!["bytesPerOperation"]!.AsObject();
        return budgets.ToDictionary(p => p.Key, p => p.Value!.GetValue<long>(), StringComparer.Ordinal);
    }
}
