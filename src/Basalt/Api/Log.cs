using Basalt.Common;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Basalt.Api;

/// <summary>The log messages of the HTTP pipeline.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = BasaltEventIds.ReadTookTooLong, Level = LogLevel.Warning, Message = "{Method} {Path} ran past the read deadline and was stopped (400)")]
    public static partial void ReadTookTooLong(ILogger logger, string method, string path);

    [LoggerMessage(EventId = BasaltEventIds.ReadTurnRefused, Level = LogLevel.Warning, Message = "Client {Ip} waited the read deadline for a read turn and was refused (429)")]
    public static partial void ReadTurnRefused(ILogger logger, string ip);

    [LoggerMessage(EventId = BasaltEventIds.UnhandledException, Level = LogLevel.Error, Message = "Unhandled error for {Method} {Path} (request {TraceId}); answered 500")]
    public static partial void UnhandledException(ILogger logger, Exception exception, string method, string path, string traceId);

    // Debug: any client can send a stale or forged token (it goes on as a guest, as PocketBase does), so at a higher
    // level it could flood the log; an operator chasing "why am I signed out" turns Debug on for Basalt.Api.
    [LoggerMessage(EventId = BasaltEventIds.TokenRejected, Level = LogLevel.Debug, Message = "The auth token of {Method} {Path} is invalid or expired; the request goes on as a guest")]
    public static partial void TokenRejected(ILogger logger, string method, PathString path);

    [LoggerMessage(EventId = BasaltEventIds.RecordsImported, Level = LogLevel.Information, Message = "Imported {Count} records into {Collection}")]
    public static partial void RecordsImported(ILogger logger, int count, string collection);

    [LoggerMessage(EventId = BasaltEventIds.RecordsImportRejected, Level = LogLevel.Information, Message = "Refused an import of {Count} records into {Collection}: some rows are invalid; nothing was written")]
    public static partial void RecordsImportRejected(ILogger logger, int count, string collection);

    [LoggerMessage(EventId = BasaltEventIds.RecordsExported, Level = LogLevel.Information, Message = "Exported {Count} records of {Collection} as {Format}")]
    public static partial void RecordsExported(ILogger logger, int count, string collection, string format);
}
