using System.Diagnostics.Metrics;
using Basalt.Common;
using Basalt.Logs;
using Basalt.Mail;
using Basalt.Realtime;

namespace Basalt.Observability;

/// <summary>The depths of the engine's queues and its realtime connections, read when metrics are collected.</summary>
public sealed class BasaltGauges : IDisposable
{
    private readonly Meter _meter;

    public BasaltGauges(IMeterFactory meters, RealtimeClientRegistry realtime, RequestLogWriter logs, MailOutbox mail)
    {
        _meter = meters.Create(BasaltMetrics.MeterName);
        _meter.CreateObservableUpDownCounter("basalt.realtime.connections", () => realtime.Count, "{connection}", "Open realtime (SSE) connections.");
        _meter.CreateObservableUpDownCounter("basalt.realtime.queued", () => realtime.Queued, "{event}", "Realtime events waiting in the clients' send queues, summed over the clients.");
        _meter.CreateObservableUpDownCounter("basalt.request_log.queue", () => logs.Count, "{entry}", "Request logs waiting to be written.");
        _meter.CreateObservableCounter("basalt.request_log.dropped", () => logs.Dropped, "{entry}", "Request logs dropped because their queue was full.");
        _meter.CreateObservableUpDownCounter("basalt.mail.outbox", () => mail.Count, "{email}", "Emails waiting in the outbox.");
    }

    public void Dispose() => _meter.Dispose();
}
