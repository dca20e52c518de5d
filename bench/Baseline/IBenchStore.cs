namespace Baseline;

/// <summary>The three queries the baseline runs; one implementation per database.</summary>
internal interface IBenchStore
{
    Task<(long Total, List<BenchRow> Rows)> ListAsync(int page, int perPage, BenchFilter? filter, CancellationToken ct);

    Task<BenchRow?> GetAsync(string id, CancellationToken ct);

    Task<BenchRow> CreateAsync(BenchInput input, CancellationToken ct);
}
