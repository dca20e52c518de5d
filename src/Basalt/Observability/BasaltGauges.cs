using System.Diagnostics.Metrics;
using Basalt.Common;
using Basalt.Logs;
using Basalt.Mail;
using Basalt.Realtime;
using Basalt.Storage;
using Basalt.Storage.Sqlite;

namespace Basalt.Observability;

/// <summary>The depths of the engine's queues, its realtime connections and reads, and SQLite's busy readers, read when metrics are collected.</summary>
public sealed class BasaltGauges : IDisposable
{
    private readonly Meter _meter;

    public BasaltGauges(IMeterFactory meters, RealtimeClientRegistry realtime, RealtimeDispatcher dispatcher, RequestLogWriter logs, MailOutbox mail, IDatabase database)
    {
        _meter = meters.Create(BasaltMetrics.MeterName);
        if (database is SqliteDatabase sqlite)
        {
            // PostgreSQL's pool is reported by Npgsql's own meter (db.client.connection.*).
            _meter.CreateObservableUpDownCounter("basalt.db.readers.busy", () => sqlite.ReadersBusy, "{connection}", "SQLite reader connections running a read.");
            _meter.CreateObservableUpDownCounter("basalt.db.readers.max", () => sqlite.Readers, "{connection}", "SQLite reader connections in the pool; a read waits when all are busy.");
        }

        _meter.CreateObservableUpDownCounter("basalt.realtime.connections", () => realtime.Count, "{connection}", "Open realtime (SSE) connections.");
        _meter.CreateObservableUpDownCounter("basalt.realtime.queued", () => realtime.Queued, "{event}", "Realtime events waiting in the clients' send queues, summed over the clients.");
        _meter.CreateObservableCounter("basalt.realtime.changes_read", () => dispatcher.EntriesRead, "{entry}", "Change-log entries the realtime dispatcher read; none while no client is connected.");
        _meter.CreateObservableUpDownCounter("basalt.request_log.queue", () => logs.Count, "{entry}", "Request logs waiting to be written.");
        _meter.CreateObservableCounter("basalt.request_log.dropped", () => logs.Dropped, "{entry}", "Request logs dropped because their queue was full.");
        _meter.CreateObservableUpDownCounter("basalt.mail.outbox", () => mail.Count, "{email}", "Emails waiting in the outbox.");
    }

    public void Dispose() => _meter.Dispose();
}
