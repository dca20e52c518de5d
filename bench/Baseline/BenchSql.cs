using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;

namespace Baseline;

/// <summary>The plain SQL both stores run; the statements are the same on SQLite and PostgreSQL.</summary>
internal static class BenchSql
{
    private const string Columns = "\"id\", \"title\", \"n\", \"status\", \"body\", \"created\", \"updated\"";

    public static async Task<(long Total, List<BenchRow> Rows)> ListAsync(
        DbConnection conn, string table, int page, int perPage, BenchFilter? filter, CancellationToken ct)
    {
        var where = filter is null ? "" : " WHERE \"n\" >= @min AND \"status\" = @status";
        var order = filter is null ? "" : " ORDER BY \"n\" DESC";
        long total;
        await using (var count = conn.CreateCommand())
        {
            count.CommandText = $"SELECT COUNT(*) FROM \"{table}\"{where}";
            AddFilter(count, filter);
            total = Convert.ToInt64(await count.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture);
        }

        await using var cmd = conn.CreateCommand();
        cmd.CommandText = $"SELECT {Columns} FROM \"{table}\"{where}{order} LIMIT @limit OFFSET @offset";
        AddFilter(cmd, filter);
        Add(cmd, "limit", perPage);
        Add(cmd, "offset", (page - 1) * perPage);
        var rows = new List<BenchRow>(perPage);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            rows.Add(Read(reader));
        }

        return (total, rows);
    }

    public static async Task<BenchRow?> GetAsync(DbConnection conn, string table, string id, CancellationToken ct)
    {
        await using var cmd = conn.CreateCommand();
        cmd.CommandText = $"SELECT {Columns} FROM \"{table}\" WHERE \"id\" = @id";
        Add(cmd, "id", id);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? Read(reader) : null;
    }

    public static async Task<BenchRow> InsertAsync(DbConnection conn, string table, BenchInput input, CancellationToken ct)
    {
        var now = DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        var row = new BenchRow(NewId(), input.Title ?? "", input.N, input.Status ?? "", input.Body ?? "", now, now);
        await using var cmd = conn.CreateCommand();
        cmd.CommandText = $"INSERT INTO \"{table}\" ({Columns}) VALUES (@id, @title, @n, @status, @body, @created, @updated)";
        Add(cmd, "id", row.Id);
        Add(cmd, "title", row.Title);
        Add(cmd, "n", row.N);
        Add(cmd, "status", row.Status);
        Add(cmd, "body", row.Body);
        Add(cmd, "created", row.Created);
        Add(cmd, "updated", row.Updated);
        await cmd.ExecuteNonQueryAsync(ct);
        return row;
    }

    private static string NewId() => RandomNumberGenerator.GetString("abcdefghijklmnopqrstuvwxyz0123456789", 15);

    private static BenchRow Read(DbDataReader r) =>
        new(r.GetString(0), r.GetString(1), Convert.ToDouble(r.GetValue(2), CultureInfo.InvariantCulture),
            r.GetString(3), r.GetString(4), r.GetString(5), r.GetString(6));

    private static void AddFilter(DbCommand cmd, BenchFilter? filter)
    {
        if (filter is not null)
        {
            Add(cmd, "min", filter.MinN);
            Add(cmd, "status", filter.Status);
        }
    }

    private static void Add(DbCommand cmd, string name, object value)
    {
        var p = cmd.CreateParameter();
        p.ParameterName = name;
        p.Value = value;
        cmd.Parameters.Add(p);
    }
}
