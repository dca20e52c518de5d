namespace Basalt.Cli;

/// <summary>The text of <c>basalt --help</c>.</summary>
internal static class Usage
{
    public const string Text = """
        Basalt: a PocketBase-compatible back end (SQLite or PostgreSQL).

        Usage:
          basalt serve [options]                         start the server
          basalt superuser upsert EMAIL PASSWORD [opts]  create a superuser, or set the password of an existing one
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
          --metrics on|off        Prometheus metrics at /metrics (BASALT_METRICS; default off)
          --metrics-http ADDR:PORT
                                  serve /metrics on this address alone (not on --http); turns metrics on
                                  (BASALT_METRICS_HTTP)
          --openapi superusers|public
                                  who may read /api/openapi.json: superusers (default), or everyone (guests and
                                  users get the routes they may call) (BASALT_OPENAPI)
          --log-level LEVEL       debug, info, warn or error (BASALT_LOG_LEVEL; default info: start, stop, schema
                                  and settings changes, and anything that needs attention)

        Ctrl-C (SIGINT) or SIGTERM stops the server gracefully: requests in flight are finished first.
        """;
}
