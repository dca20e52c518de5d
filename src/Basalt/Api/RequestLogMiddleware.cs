using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Basalt.Common;
using Basalt.Errors;
using Basalt.Http;
using Basalt.Logs;
using Basalt.Settings;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;

namespace Basalt.Api;

/// <summary>
/// Logs every request once it is answered (§11 logs, PocketBase's <c>data.type = "request"</c> entries): the entry is
/// built here and handed to <see cref="RequestLogWriter"/>'s queue, so the request never waits for the log store.
/// </summary>
internal sealed class RequestLogMiddleware(RequestDelegate next, RequestLogWriter writer, SettingsService settings, ClientIpResolver ips, TimeProvider time)
{
    private const int MaxTextLength = 2048;

    private const int MaxKeptBuffer = 64 * 1024;

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    private static readonly HashSet<string> SecretParameters = new(["token", "code", "code_verifier", "client_secret"], StringComparer.OrdinalIgnoreCase);

    public async Task InvokeAsync(HttpContext context)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            await next(context);
        }
        finally
        {
            await LogAsync(context, Stopwatch.GetElapsedTime(started));
        }
    }

    private async Task LogAsync(HttpContext context, TimeSpan elapsed)
    {
        var options = (await settings.GetAsync(CancellationToken.None)).Logs;
        var status = context.RequestAborted.IsCancellationRequested && !context.Response.HasStarted ? 499 : context.Response.StatusCode;
        var level = status >= 500 ? LogEntry.Error : status >= 400 ? LogEntry.Warn : LogEntry.Info;
        if (options.MaxDays <= 0 || level < options.MinLevel)
        {
            return;
        }

        var request = context.Request;
        var url = Bounded(request.PathBase + request.Path + RedactedQuery(request.QueryString));
        var userIp = options.LogIp ? await ips.ResolveAsync(context) : null;
        var now = time.GetUtcNow();
        writer.Enqueue(new LogEntry(
            LogIds.New(now),
            DateFormat.Format(now),
            level,
            string.Create(CultureInfo.InvariantCulture, $"{request.Method} {url}"),
            Data(context, options, url, status, elapsed, userIp)));
    }

    /// <summary>
    /// The entry's <c>data</c> as JSON text, written straight from the request into a per-thread buffer: building a
    /// node tree per request and serializing it later cost more than the rest of logging put together.
    /// </summary>
    private static string Data(HttpContext context, LogsSettings options, string url, int status, TimeSpan elapsed, string? userIp)
    {
        var request = context.Request;
        var auth = context.GetAuthRecord();
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(1024);
        var json = t_writer ??= new Utf8JsonWriter(buffer);
        buffer.ResetWrittenCount();
        json.Reset(buffer);
        json.WriteStartObject();
        json.WriteString("type", "request");
        json.WriteString("method", request.Method);
        json.WriteString("url", url);
        json.WriteNumber("status", status);
        json.WriteNumber("execTime", Math.Round(elapsed.TotalMilliseconds, 3));
        json.WriteString("auth", auth?.Collection.Name ?? "guest");
        json.WriteString("referer", Bounded(RedactedReferer(request.Headers.Referer.ToString())));
        json.WriteString("userAgent", Bounded(request.Headers.UserAgent.ToString()));
        if (userIp is not null)
        {
            json.WriteString("userIP", userIp);
            json.WriteString("remoteIP", context.Connection.RemoteIpAddress is { } remote
                ? (remote.IsIPv4MappedToIPv6 ? remote.MapToIPv4() : remote).ToString()
                : "");
        }

        if (options.LogAuthId && auth is not null)
        {
            json.WriteString("authId", auth.Id);
        }

        if (context.Features.Get<IExceptionHandlerFeature>()?.Error is { } exception)
        {
            var error = exception as ApiError;
            json.WriteString("error", error?.Message ?? "Something went wrong while processing your request.");
            if (error is not null && error.Data.Count > 0)
            {
                json.WritePropertyName("details");
                error.Data.WriteTo(json);
            }
        }

        json.WriteEndObject();
        json.Flush();
        // A NUL or a lone surrogate in a header becomes an escape PostgreSQL's jsonb refuses, which would fail the batch.
        var text = JsonEscapes.Sanitize(Encoding.UTF8.GetString(buffer.WrittenSpan));
        if (buffer.Capacity > MaxKeptBuffer)
        {
            // One huge entry (a long list of validation errors) should not pin its buffer to the thread for good.
            t_buffer = null;
            t_writer = null;
        }

        return text;
    }

    /// <summary>Headers and URLs are the client's to choose: a guest must not store 30 KB of log per request.</summary>
    private static string Bounded(string text) => text.Length <= MaxTextLength ? text : text[..MaxTextLength] + "…";

    /// <summary>
    /// Bearer secrets that travel in query strings (file tokens, OAuth2 codes) are not kept in the logs, which every
    /// superuser can read for days.
    /// </summary>
    private static string RedactedQuery(QueryString query)
    {
        if (!query.HasValue)
        {
            return "";
        }

        return RedactedQuery(query.Value!);
    }

    /// <summary>
    /// The referer is the page that sent the request, and the dashboard's mail-link pages (and an app's own) hold their
    /// token in the query: the browser repeats it in every API call the page makes.
    /// </summary>
    private static string RedactedReferer(string referer)
    {
        var query = referer.IndexOf('?', StringComparison.Ordinal);
        return query < 0 ? referer : referer[..query] + RedactedQuery(referer[query..]);
    }

    private static string RedactedQuery(string query)
    {
        var parts = query.TrimStart('?').Split('&');
        for (var i = 0; i < parts.Length; i++)
        {
            var name = parts[i].Split('=', 2)[0];
            if (SecretParameters.Contains(Uri.UnescapeDataString(name)))
            {
                parts[i] = name + "=***";
            }
        }

        return "?" + string.Join('&', parts);
    }
}
