namespace Basalt.Common;

/// <summary>
/// Stable event ids of Basalt's log messages, one range of 1,000 per area (as Npgsql's NpgsqlEventId), so a log
/// filter or an alert can name them: 1000 Api (the HTTP pipeline and client addresses), 2000 auth, 3000 realtime,
/// 4000 storage, 5000 request logs, 6000 mail, 7000 collections, 8000 settings, 9000 rate limits, 10000 hosting,
/// 11000 files, 12000 migrations, 15000 backups, 16000 cron jobs, 17000 imports and exports, 18000 the dashboard's
/// admin routes (SQL console, records import/export, first-run install). Each area's messages are in its folder's
/// <c>Log</c> class; docs/logging.md lists them.
/// </summary>
public static class BasaltEventIds
{
    /// <summary>Requests carry proxy headers from a loopback or private peer while no trusted proxy header is set.</summary>
    public const int ProxyHeadersIgnored = 1000;

    /// <summary>A read ran past the read deadline and was stopped; the request answered 400.</summary>
    public const int ReadTookTooLong = 1001;

    /// <summary>A client IP waited the whole read deadline for one of its read turns; the request answered 429.</summary>
    public const int ReadTurnRefused = 1002;

    /// <summary>A request failed with an exception Basalt did not expect; it answered 500 without internals.</summary>
    public const int UnhandledException = 1003;

    /// <summary>A request's auth token was invalid or expired; the request went on as a guest.</summary>
    public const int TokenRejected = 1004;

    public const int SuperuserCreated = 2000;
    public const int SuperuserUpdated = 2001;

    /// <summary>An OAuth2 provider's token, user-info or JWKS endpoint failed or could not be reached.</summary>
    public const int OAuth2ProviderCallFailed = 2002;

    public const int EmailChangeMailFailed = 2003;
    public const int TestMailFailed = 2004;

    /// <summary>A subscriber's per-event realtime budget ran out; its remaining subscriptions got no event.</summary>
    public const int RealtimeBudgetSpent = 3000;

    public const int RealtimeClientConnected = 3001;
    public const int RealtimeClientDisconnected = 3002;

    /// <summary>A realtime client fell a whole queue of events behind and was closed.</summary>
    public const int RealtimeClientTooSlow = 3003;

    /// <summary>The realtime dispatcher could not read or fan out the change log; it retries.</summary>
    public const int RealtimeDispatchFailed = 3010;

    /// <summary>A resuming client's missed events could not be replayed; it was disconnected.</summary>
    public const int RealtimeReplayFailed = 3011;

    /// <summary>A client resumed from an id older than the change log keeps; it was sent the reset event.</summary>
    public const int RealtimeResumeTooOld = 3012;

    public const int ChangeLogPruned = 3013;
    public const int ChangeLogPruneFailed = 3014;

    /// <summary>Where nodes share PostgreSQL: recording which node holds a client, or a forwarded subscribe, failed.</summary>
    public const int RealtimeClusterStateFailed = 3015;

    /// <summary>A new subscription could not learn which writes past the settled head were answered before it.</summary>
    public const int RealtimeAnsweredWritesFailed = 3016;

    public const int StorageOpened = 4000;
    public const int SystemSchemaMigrated = 4001;
    public const int StorageClosed = 4002;

    /// <summary>A SQLite group commit's COMMIT (the WAL fsync in durable mode) took longer than the slow-commit threshold.</summary>
    public const int GroupCommitSlow = 4003;

    /// <summary>A SQLite group commit failed as a whole (BEGIN, a lost savepoint or COMMIT); none of its writes is stored.</summary>
    public const int GroupCommitFailed = 4004;

    /// <summary>PostgreSQL refused a statement of a group of creates, or the group waited past its lock timeout; each create reruns alone.</summary>
    public const int CommitGroupRerunAlone = 4005;

    /// <summary>A PostgreSQL group of creates failed as a whole (the connection, COMMIT); each caller got the error.</summary>
    public const int CommitGroupFailed = 4006;

    public const int RequestLogQueueFull = 5000;
    public const int RequestLogWriteFailed = 5001;
    public const int RequestLogsPruned = 5002;
    public const int RequestLogDrainTimedOut = 5004;

    public const int MailQueueFull = 6000;
    public const int MailSent = 6001;
    public const int MailSendRetrying = 6002;
    public const int MailSendFailed = 6003;
    public const int MailDrainTimedOut = 6004;

    public const int CollectionCreated = 7000;
    public const int CollectionUpdated = 7001;
    public const int CollectionDeleted = 7002;
    public const int CollectionTruncated = 7003;
    public const int SystemCollectionsCreated = 7004;

    /// <summary>Settings sections were changed (their names only; values, secrets above all, are never logged).</summary>
    public const int SettingsChanged = 8000;

    /// <summary>A request was refused with 429 by a rate-limit rule.</summary>
    public const int RateLimitRefused = 9000;

    /// <summary>The server is listening: its addresses, the database, the durability mode and the data folder.</summary>
    public const int Started = 10000;

    public const int Stopping = 10001;

    /// <summary>Prometheus metrics are served on a listener of their own.</summary>
    public const int MetricsListening = 10002;

    public const int FileDeleteFailed = 11000;
    public const int FileSweepRemoved = 11001;
    public const int FileSweepFailed = 11002;
    public const int FileSweepFinished = 11003;

    /// <summary>No thumb was made of an image (broken, not the image its name says, a decompression bomb, too large); the original was served.</summary>
    public const int ThumbNotMade = 11004;

    /// <summary>A made thumb could not be stored; the original was served.</summary>
    public const int ThumbStoreFailed = 11005;

    /// <summary>File operations now use the S3 bucket of the settings (at the first operation, or after a change).</summary>
    public const int FileStorageS3 = 11010;

    /// <summary>File operations use the local data folder (at the first operation, or after S3 was turned off).</summary>
    public const int FileStorageLocal = 11011;

    /// <summary>A migration file was applied to the database (<c>migrate up</c>, or at start).</summary>
    public const int MigrationApplied = 12000;

    /// <summary>A migration was reverted (<c>migrate down</c>).</summary>
    public const int MigrationReverted = 12001;

    /// <summary>Automigrate wrote a migration file for a collection change made through the API.</summary>
    public const int AutomigrateWrote = 12002;

    /// <summary>Automigrate could not write its migration file, so the collection change was refused.</summary>
    public const int AutomigrateWriteFailed = 12003;

    /// <summary>The server applied pending migrations of its folder as it started.</summary>
    public const int MigrationsAppliedAtStart = 12004;

    /// <summary>Automigrate's file for a change that did not commit could not be removed.</summary>
    public const int AutomigrateFileLeft = 12005;

    public const int BackupCreated = 15000;

    /// <summary>Creating a backup failed; nothing was stored under its name.</summary>
    public const int BackupFailed = 15001;

    public const int BackupRestored = 15002;

    /// <summary>A restore failed after its checks; the current data is unchanged.</summary>
    public const int BackupRestoreFailed = 15003;

    public const int BackupDeleted = 15004;
    public const int BackupUploaded = 15005;

    /// <summary>The scheduled backup (<c>backups.cron</c>) failed; the superusers are mailed.</summary>
    public const int ScheduledBackupFailed = 15006;

    /// <summary>A scheduled backup past <c>backups.cronMaxKeep</c> was deleted.</summary>
    public const int BackupPruned = 15007;

    /// <summary>A stored file the snapshot references was missing; the backup lists it under <c>missingFiles</c>.</summary>
    public const int BackupFileMissing = 15008;

    public const int CronJobStarted = 16000;
    public const int CronJobFinished = 16001;

    /// <summary>A cron job threw; it runs again at its next time.</summary>
    public const int CronJobFailed = 16002;

    /// <summary>A cron expression (<c>backups.cron</c>) cannot be scheduled; the job does not run.</summary>
    public const int CronExpressionInvalid = 16003;

    /// <summary>An import of a PocketBase data folder or a Basalt export starts (what it brings) and has committed.</summary>
    public const int ImportStarted = 17000;

    public const int ImportFinished = 17001;

    /// <summary>An import stopped and rolled back; nothing of it was kept.</summary>
    public const int ImportFailed = 17002;

    /// <summary>A file a failed import had put could not be taken back; the start-up sweep removes it.</summary>
    public const int ImportFileNotRemoved = 17003;

    public const int ExportFinished = 17004;

    /// <summary>A superuser ran a statement in the SQL console (<c>POST /api/sql</c>); the statement itself is not logged.</summary>
    public const int SqlConsoleRan = 18000;

    /// <summary>The database refused an SQL console statement, or it ran past its timeout.</summary>
    public const int SqlConsoleRefused = 18001;

    /// <summary>Records were imported into a collection (<c>POST /api/collections/{c}/import</c>).</summary>
    public const int RecordsImported = 18002;

    /// <summary>An import was refused because some rows were invalid; nothing was written.</summary>
    public const int RecordsImportRejected = 18003;

    /// <summary>A collection's records were exported.</summary>
    public const int RecordsExported = 18004;

    /// <summary>No superuser exists: a one-time install link was made for the first one.</summary>
    public const int InstallLinkIssued = 18005;

    /// <summary>The first superuser was created through the install link.</summary>
    public const int SuperuserInstalled = 18006;

    /// <summary>An install was refused: the link's token was wrong, expired or used, or a superuser already exists.</summary>
    public const int InstallRefused = 18007;
    /// <summary>The node listens to the other nodes' signals (PostgreSQL <c>LISTEN</c>), at start and after a reconnect.</summary>
    public const int ClusterListening = 19000;

    /// <summary>The listening connection broke; the node re-opens it with backoff and catches up from the database.</summary>
    public const int ClusterListenerLost = 19001;

    /// <summary>A signal to the other nodes could not be sent; they catch up by polling.</summary>
    public const int ClusterSignalFailed = 19002;

    /// <summary>A follower of the other nodes' signals failed (it retries at the next signal or resync).</summary>
    public const int ClusterHandlerFailed = 19003;

    /// <summary>A cache was reloaded because another node changed what it holds (collections, settings).</summary>
    public const int ClusterCacheReloaded = 19004;

    /// <summary>The node's heartbeat in <c>_nodes</c> could not be written (the database is unreachable).</summary>
    public const int ClusterHeartbeatFailed = 19005;

    /// <summary>A cache could not be reloaded after another node changed it; the next signal or resync retries.</summary>
    public const int ClusterCacheReloadFailed = 19006;
}
