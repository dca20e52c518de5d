using System.Data.Common;
using Basalt.Storage;
using Basalt.Storage.Postgres;
using Basalt.Storage.Sqlite;
using Basalt.Tests.Fixtures;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Basalt.Tests.Query;

/// <summary>
/// The <see cref="QueryTestSchema"/> tables, created by hand with the storage column types on an in-memory SQLite
/// database and a fresh PostgreSQL database, holding the same seed rows, so compiled filters can run on both.
/// </summary>
public sealed class FilterDatabasesFixture : IAsyncLifetime
{
    private static readonly string[] Tables =
    [
        "\"users\"(\"id\" {pk}, \"email\" {text}, \"emailVisibility\" {bool}, \"verified\" {bool}, \"name\" {text}, \"age\" {num}, \"password\" {text}, \"tokenKey\" {text}, \"friends\" {arr})",
        "\"vault\"(\"id\" {pk}, \"code\" {text})",
        "\"posts\"(\"id\" {pk}, \"title\" {text}, \"views\" {num}, \"published\" {bool}, \"when\" {text}, \"status\" {text}, \"tags\" {arr}, \"author\" {text}, \"editors\" {arr}, \"vault\" {text}, \"data\" {json}, \"geo\" {geo}, \"secret\" {text})",
        "\"comments\"(\"id\" {pk}, \"body\" {text}, \"hidden\" {bool}, \"post\" {text}, \"user\" {text})",
        "\"members\"(\"id\" {pk}, \"role\" {text}, \"user\" {text}, \"posts\" {arr})",
    ];

    private static readonly string[] Rows =
    [
        "INSERT INTO users(id, email, \"emailVisibility\", verified, name, age, friends) VALUES ('u1', 'a@x.io', TRUE, TRUE, 'Ann', 30, '[\"u2\"]')",
        "INSERT INTO users(id, email, \"emailVisibility\", verified, name, age, friends) VALUES ('u2', 'b@x.io', FALSE, FALSE, 'Bob', 0, '[]')",
        "INSERT INTO users(id, email, \"emailVisibility\", verified, name, age, friends) VALUES ('u3', 'c@x.io', TRUE, FALSE, '', 5, '[\"u1\",\"u2\"]')",
        "INSERT INTO vault(id, code) VALUES ('v1', 'x')",
        "INSERT INTO posts VALUES ('p1', 'Hello World', 10, TRUE, '2024-03-01 10:00:00.000Z', 'draft', '[\"a\",\"b\"]', 'u1', '[\"u1\",\"u2\"]', 'v1', '{\"a\":{\"b\":5},\"s\":\"x\",\"flag\":true}', '{\"lon\":10,\"lat\":20}', 's1')",
        "INSERT INTO posts VALUES ('p2', '', 0, FALSE, '', '', '[]', '', '[]', '', NULL, '{\"lon\":0,\"lat\":0}', '')",
        "INSERT INTO posts VALUES ('p3', '50% off_now', 5.5, TRUE, '2023-12-31 23:59:59.999Z', 'live', '[\"a\"]', 'u2', '[\"u2\"]', '', '{\"a\":{\"b\":\"5\"},\"s\":5}', '{\"lon\":10.1,\"lat\":20.1}', '')",
        "INSERT INTO posts VALUES ('p4', 'hello', -3, FALSE, '2024-03-15 00:00:00.000Z', 'draft', '[\"b\",\"c\"]', 'u3', '[\"u1\"]', '', '{\"a\":null}', '{\"lon\":-120,\"lat\":45}', '')",
        "INSERT INTO posts VALUES ('p5', 'ÄBC back\\slash', 100, TRUE, '2025-01-01 00:00:00.000Z', 'live', '[\"c\"]', 'missing', '[\"u1\",\"u3\"]', '', '\"str\"', '{\"lon\":0,\"lat\":0}', '')",
        "INSERT INTO comments VALUES ('c1', 'hi there', FALSE, 'p1', 'u1')",
        "INSERT INTO comments VALUES ('c2', 'bye', TRUE, 'p1', 'u2')",
        "INSERT INTO comments VALUES ('c3', 'hi', FALSE, 'p3', 'u2')",
        "INSERT INTO members VALUES ('m1', 'admin', 'u1', '[\"p1\",\"p3\"]')",
        "INSERT INTO members VALUES ('m2', 'member', 'u2', '[\"p1\"]')",
    ];

    public SqliteConnection Sqlite { get; } = new("Data Source=:memory:");

    public NpgsqlConnection? Postgres { get; private set; }

    public ISqlDialect SqliteDialect { get; } = new SqliteDialect();

    public ISqlDialect PostgresDialect { get; } = new PostgresDialect();

    public async Task InitializeAsync()
    {
        await Sqlite.OpenAsync();
        await CreateAsync(Sqlite, new()
        {
            ["{pk}"] = "TEXT PRIMARY KEY NOT NULL",
            ["{text}"] = "TEXT NOT NULL DEFAULT ''",
            ["{num}"] = "NUMERIC NOT NULL DEFAULT 0",
            ["{bool}"] = "BOOLEAN NOT NULL DEFAULT FALSE",
            ["{arr}"] = "TEXT NOT NULL DEFAULT '[]'",
            ["{json}"] = "TEXT NULL DEFAULT NULL",
            ["{geo}"] = "TEXT NOT NULL DEFAULT '{\"lon\":0,\"lat\":0}'",
        });
        Postgres = new NpgsqlConnection(await PostgresCluster.CreateDatabaseAsync());
        await Postgres.OpenAsync();
        await CreateAsync(Postgres, new()
        {
            ["{pk}"] = "TEXT PRIMARY KEY",
            ["{text}"] = "TEXT NOT NULL DEFAULT ''",
            ["{num}"] = "DOUBLE PRECISION NOT NULL DEFAULT 0",
            ["{bool}"] = "BOOLEAN NOT NULL DEFAULT FALSE",
            ["{arr}"] = "JSONB NOT NULL DEFAULT '[]'",
            ["{json}"] = "JSONB NULL",
            ["{geo}"] = "JSONB NOT NULL DEFAULT '{\"lon\":0,\"lat\":0}'",
        }, new Basalt.Storage.Postgres.PostgresDialect().RowIdColumnDefinition);
    }

    public async Task DisposeAsync()
    {
        await Sqlite.DisposeAsync();
        if (Postgres is not null)
        {
            await Postgres.DisposeAsync();
        }
    }

    /// <summary>Runs a statement selecting ids and returns them in order.</summary>
    public static async Task<List<string>> IdsAsync(DbConnection connection, SqlBuilder sql)
    {
        await using var command = sql.CreateCommand(connection);
        await using var reader = await command.ExecuteReaderAsync();
        var ids = new List<string>();
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }

    private static async Task CreateAsync(DbConnection connection, Dictionary<string, string> types, string? rowIdColumn = null)
    {
        foreach (var table in Tables)
        {
            var ddl = types.Aggregate(table, (t, kv) => t.Replace(kv.Key, kv.Value, StringComparison.Ordinal));
            if (rowIdColumn is not null)
            {
                ddl = ddl[..ddl.LastIndexOf(')')] + ", " + rowIdColumn + ")";
            }

            await ExecAsync(connection, "CREATE TABLE " + ddl);
        }

        foreach (var row in Rows)
        {
            await ExecAsync(connection, row);
        }
    }

    private static async Task ExecAsync(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }
}
