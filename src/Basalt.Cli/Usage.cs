namespace Basalt.Cli;

/// <summary>The text of <c>basalt --help</c>.</summary>
internal static class Usage
{
    public const string Text = """
        Basalt: a PocketBase-compatible back end (SQLite or PostgreSQL).

        Usage:
          basalt serve [options]                         start the server
          basalt superuser upsert EMAIL PASSWORD [opts]  create a superuser, or set the password of an existing one
          basalt backup create [NAME] [opts]             back up the database and files (online: fine beside a running server)
          basalt backup list [opts]                      list the backups (DATA/backups, or the backups.s3 bucket)
          basalt backup restore NAME [opts]              replace the data with a backup (stop the server first)
          basalt import pocketbase PB_DATA_DIR [--dry-run] [opts]
                                                         move a PocketBase app in: every collection, record,
                                                         superuser, setting and file of its data folder (v0.22 or
                                                         v0.23+), or of a folder basalt export wrote; all or nothing.
                                                         --dry-run prints what would change and writes nothing
          basalt export DIR [opts]                       write every collection, record, setting and file to the new
                                                         folder DIR, in the layout basalt import reads back
          basalt migrate status|up|down [N] [opts]       list, apply, or revert (the N latest, default 1) migrations
          basalt migrate create NAME [opts]              write a migration of the collection changes since the last one
          basalt --help                                  show this text

        Options (each falls back to the environment variable shown):
          --http ADDR:PORT        address to listen on (BASALT_HTTP; default 127.0.0.1:8090)
          --dir PATH              data folder: the SQLite database and files (BASALT_DIR; default ./basalt_data)
          --db URL                PostgreSQL instead of SQLite: postgres://user:pass@host:port/db (BASALT_DB)
          --durability full|fast  SQLite only. full (default): every acknowledged write is fsynced and survives a
                                  power cut. fast: synchronous=NORMAL, faster, but a power cut or kernel crash can
                                  lose the last writes (a process crash loses nothing) (BASALT_DURABILITY)
          --origins a,b           allowed CORS origins (BASALT_ORIGINS; default *)
          --read-timeout SECONDS  longest a database read may run before the request answers 400
                                  (BASALT_READ_TIMEOUT; default 5)
          --reads-per-client N    record reads (lists, views) one client IP (an IPv6 /64) may run at once; more
                                  wait up to the read timeout, then answer 429; superusers are not limited
                                  (BASALT_READS_PER_CLIENT; default: SQLite one per core, at least 2;
                                  PostgreSQL an eighth of the read pool)
          --client-reads N        record reads all clients but superusers may run at once (BASALT_CLIENT_READS;
                                  default: the database's readers less a quarter, kept for superusers)
          --metrics on|off        Prometheus metrics at /metrics (BASALT_METRICS; default off)
          --metrics-http ADDR:PORT
                                  serve /metrics on this address alone (not on --http); turns metrics on
                                  (BASALT_METRICS_HTTP)
          --openapi superusers|public
                                  who may read /api/openapi.json: superusers (default), or everyone (guests and
                                  users get the routes they may call) (BASALT_OPENAPI)
          --log-level LEVEL       debug, info, warn or error (BASALT_LOG_LEVEL; default info: start, stop, schema
                                  and settings changes, and anything that needs attention)
          --migrations PATH       folder of migration files (BASALT_MIGRATIONS; default basalt_migrations beside
                                  the data folder)
          --automigrate [on|off]  each collection change made through the API writes a migration file
                                  (BASALT_AUTOMIGRATE; default off)
          --migrate on|off        serve applies pending migrations as it starts (BASALT_MIGRATE; default on)

        Ctrl-C (SIGINT) or SIGTERM stops the server gracefully: requests in flight are finished first.
        """;
}
