using System.Buffers;
using System.Data.Common;
using System.Text;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Basalt.Storage.Sqlite;

public sealed partial class SqliteDialect
{
    /// <summary>
    /// Binds each value by position on SQLite's own statement. Through the driver, every run looked each parameter up
    /// by name (three spellings tried in turn) and copied each string into a new UTF-8 array: for request logs, a row per
    /// request, that binding cost as much CPU as SQLite's insert itself (bench/README.md, "Observability cost").
    /// </summary>
    public Task InsertRowsAsync(SqlBuilder insert, IReadOnlyList<object?[]> rows, DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        var db = ((SqliteConnection)connection).Handle!;
        var rc = raw.sqlite3_prepare_v2(db, insert.ToString(), out var statement);
        SqliteException.ThrowExceptionForRC(rc, db);
        byte[]? buffer = null;
        try
        {
            var count = raw.sqlite3_bind_parameter_count(statement);
            foreach (var row in rows)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (row.Length != count)
                {
                    throw new InvalidOperationException($"The insert has {count} parameters; a row has {row.Length} values.");
                }

                for (var i = 0; i < row.Length; i++)
                {
                    rc = Bind(statement, i + 1, ToDbParameterValue(row[i]), ref buffer);
                    SqliteException.ThrowExceptionForRC(rc, db);
                }

                rc = raw.sqlite3_step(statement);
                if (rc != raw.SQLITE_DONE)
                {
                    SqliteException.ThrowExceptionForRC(rc, db);
                }

                raw.sqlite3_reset(statement);
            }
        }
        finally
        {
            statement.Dispose();
            if (buffer is not null)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }

        return Task.CompletedTask;
    }

    private static int Bind(sqlite3_stmt statement, int index, object value, ref byte[]? buffer)
    {
        switch (value)
        {
            case DBNull:
                return raw.sqlite3_bind_null(statement, index);
            case "":
                // An empty span would bind through a null pointer, which SQLite stores as NULL.
                return raw.sqlite3_bind_text(statement, index, "");
            case string text:
                var size = Encoding.UTF8.GetMaxByteCount(text.Length);
                if (buffer is null || buffer.Length < size)
                {
                    if (buffer is not null)
                    {
                        // Cleared first: should the rent below throw, the finally must not return this array twice.
                        var old = buffer;
                        buffer = null;
                        ArrayPool<byte>.Shared.Return(old);
                    }

                    buffer = ArrayPool<byte>.Shared.Rent(Math.Max(size, 4096));
                }

                // SQLite copies the bytes (SQLITE_TRANSIENT), so the buffer is free again for the next value.
                var length = Encoding.UTF8.GetBytes(text, buffer);
                return raw.sqlite3_bind_text(statement, index, buffer.AsSpan(0, length));
            case double number:
                return raw.sqlite3_bind_double(statement, index, number);
            case long integer:
                return raw.sqlite3_bind_int64(statement, index, integer);
            case int integer:
                return raw.sqlite3_bind_int64(statement, index, integer);
            case bool flag:
                return raw.sqlite3_bind_int64(statement, index, flag ? 1 : 0);
            default:
                throw new InvalidOperationException($"A row value of type {value.GetType().Name} has no SQLite binding.");
        }
    }
}
