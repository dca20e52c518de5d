using SQLitePCL;

namespace Basalt.Storage.Sqlite;

/// <summary>
/// The authorizer of the SQL console's connection: SQLite asks it about every action while preparing a statement, and
/// it lets through only reading tables, calling functions other than those reaching the file system, recursive CTEs and
/// the PRAGMAs that describe the schema. A read-only connection alone still allows ATTACH of any file, temporary
/// tables and <c>VACUUM INTO</c>; the console also caps the length of one value, so a <c>randomblob</c> cannot fill memory.
/// </summary>
internal static class SqliteConsoleAuthorizer
{
    /// <summary>The longest string or blob one console statement may make or read.</summary>
    public const int MaxValueLength = 16 << 20;

    private static readonly HashSet<string> DeniedFunctions = new(StringComparer.OrdinalIgnoreCase)
    {
        "load_extension", "readfile", "writefile", "edit", "fts3_tokenizer", "lsdir",
    };

    /// <summary>PRAGMAs whose argument names a table or index to describe (or a limit for a check), never a new value.</summary>
    private static readonly HashSet<string> DescribingPragmas = new(StringComparer.OrdinalIgnoreCase)
    {
        "table_info", "table_xinfo", "table_list", "index_list", "index_info", "index_xinfo", "foreign_key_list",
        "foreign_key_check", "integrity_check", "quick_check",
    };

    /// <summary>PRAGMAs that only answer a value when asked without an argument.</summary>
    private static readonly HashSet<string> ValuePragmas = new(StringComparer.OrdinalIgnoreCase)
    {
        "application_id", "auto_vacuum", "busy_timeout", "cache_size", "collation_list", "compile_options",
        "data_version", "database_list", "encoding", "foreign_keys", "freelist_count", "function_list", "journal_mode",
        "module_list", "page_count", "page_size", "pragma_list", "schema_version", "synchronous", "user_version",
    };

    public static void Install(sqlite3 handle)
    {
        raw.sqlite3_limit(handle, raw.SQLITE_LIMIT_LENGTH, MaxValueLength);
        raw.sqlite3_set_authorizer(handle, Authorize, null);
    }

    private static int Authorize(object userData, int action, string param0, string param1, string dbName, string trigger) =>
        action switch
        {
            raw.SQLITE_SELECT or raw.SQLITE_READ or raw.SQLITE_RECURSIVE => raw.SQLITE_OK,
            raw.SQLITE_FUNCTION => DeniedFunctions.Contains(param1) ? raw.SQLITE_DENY : raw.SQLITE_OK,
            raw.SQLITE_PRAGMA => DescribingPragmas.Contains(param0) || (param1 is null && ValuePragmas.Contains(param0))
                ? raw.SQLITE_OK
                : raw.SQLITE_DENY,
            _ => raw.SQLITE_DENY,
        };
}
