using BenchmarkDotNet.Attributes;
using Basalt.Storage;

namespace Basalt.Micro;

/// <summary>
/// Time and memory of each hot path of <see cref="HotPaths"/>; their allocations per operation are also bounded by
/// <c>allocation-budgets.json</c>, which tests/Basalt.Tests/Performance/AllocationBudgetTests checks on every test run.
/// </summary>
[MemoryDiagnoser]
public class HotPathBenchmarks
{
    private HotPaths _paths = null!;

    [GlobalSetup]
    public void Setup() =>
        _paths = HotPaths.CreateAsync(Path.Combine(Path.GetTempPath(), "basalt-micro-" + Guid.NewGuid().ToString("N"))).GetAwaiter().GetResult();

    [GlobalCleanup]
    public void Cleanup() => _paths.DisposeAsync().AsTask().GetAwaiter().GetResult();

    [Benchmark]
    public SqlCondition CompileFilterCold() => _paths.CompileFilterCold();

    [Benchmark]
    public SqlCondition CompileFilterCached() => _paths.CompileFilterCached();

    [Benchmark]
    public SqlCondition EvaluateRule() => _paths.EvaluateRule();

    [Benchmark]
    public int SerializeRecord() => _paths.SerializeRecord();

    [Benchmark]
    public int SerializeRecordWithFields() => _paths.SerializeRecordWithFields();

    [Benchmark]
    public Task<int> ReadPage() => _paths.ReadPageAsync();

    [Benchmark]
    public bool ParseAndValidateBody() => _paths.ParseAndValidateBody();

    [Benchmark]
    public Task<int> GroupCommit() => _paths.GroupCommitAsync();
}
