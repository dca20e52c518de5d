using System.Text.RegularExpressions;

namespace Basalt.Storage.Postgres;

/// <summary>
/// What a READ ONLY transaction does not stop in the SQL console: functions that read or write the server's files,
/// signal other sessions, change settings or run SQL text of their own. They are refused by name anywhere in the text,
/// string literals included (a superuser's console can live with the odd false refusal; a lexer that disagreed with
/// PostgreSQL's could not), and so are Unicode-escaped identifiers, which could spell the names otherwise. The
/// transaction also drops a superuser connection's rights to <c>pg_read_all_data</c>, for the functions this list misses.
/// </summary>
internal static partial class PostgresConsoleGuard
{
    /// <summary>Run in the console's transaction after READ ONLY: a superuser keeps reading everything and nothing else.</summary>
    public const string DropSuperuser =
        "DO $$BEGIN IF current_setting('is_superuser') = 'on' AND EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'pg_read_all_data') " +
        "THEN SET LOCAL ROLE pg_read_all_data; END IF; END$$";

    public static void EnsureAllowed(string sql)
    {
        var match = Denied().Match(sql);
        if (match.Success)
        {
            throw new SqlConsoleException("'" + match.Value + "' cannot be used in the SQL console.");
        }
    }

    [GeneratedRegex(
        """\b(pg_read_file|pg_read_binary_file|pg_ls_\w+|pg_stat_file|pg_file_\w+|lo_import|lo_export|lo_from_bytea|lo_put|""" +
        """pg_terminate_backend|pg_cancel_backend|pg_reload_conf|pg_rotate_logfile|pg_logfile_rotate|pg_switch_wal|""" +
        """pg_create_restore_point|pg_promote|pg_backup_start|pg_backup_stop|pg_start_backup|pg_stop_backup|""" +
        """pg_wal_replay_\w+|pg_log_backend_memory_contexts|pg_\w*replication_\w+|pg_copy_\w+_replication_slot|""" +
        """set_config|query_to_xml\w*|cursor_to_xml\w*|dblink\w*|pg_notify|pg_export_snapshot)\b|u&\s*["']""",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Denied();
}
