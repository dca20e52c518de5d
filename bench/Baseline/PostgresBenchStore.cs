using Npgsql;

namespace Baseline;

/// <summary>PostgreSQL through one pooled <see cref="NpgsqlDataSource"/>; every query opens and returns a pooled connection.</summary>
internal sealed class PostgresBenchStore(string connectionString, string table) : IBenchStore, IDisposable
{
    private readonly NpgsqlDataSource _source = NpgsqlDataSource.Create(connectionString);

    public async Task<(long Total, List<BenchRow> Rows)> ListAsync(int page, int perPage, BenchFilter? filter, CancellationToken ct)
    {
        await using var conn = await _source.OpenConnectionAsync(ct);
        return await BenchSql.ListAsync(conn, table, page, perPage, filter, ct);
    }

    public async Task<BenchRow?> GetAsync(string id, CancellationToken ct)
    {
        await using var conn = await _source.OpenConnectionAsync(ct);
        return await BenchSql.GetAsync(conn, table, id, ct);
    }

    public async Task<BenchRow> CreateAsync(BenchInput input, CancellationToken ct)
    {
        await using var conn = await _source.OpenConnectionAsync(ct);
        return await BenchSql.InsertAsync(conn, table, input, ct);
    }

    public void Dispose() => _source.Dispose();
}
