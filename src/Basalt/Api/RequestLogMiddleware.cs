using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
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
        var auth = context.GetAuthRecord();
        var data = new JsonObject
        {
            ["type"] = "request",
            ["method"] = request.Method,
            ["url"] = url,
            ["status"] = status,
            ["execTime"] = Math.Round(elapsed.TotalMilliseconds, 3),
            ["auth"] = auth?.Collection.Name ?? "guest",
            ["referer"] = Bounded(request.Headers.Referer.ToString()),
            ["userAgent"] = Bounded(request.Headers.UserAgent.ToString()),
        };
        if (options.LogIp)
        {
            data["userIP"] = await ips.ResolveAsync(context);
            data["remoteIP"] = context.Connection.RemoteIpAddress is { } remote
                ? (remote.IsIPv4MappedToIPv6 ? remote.MapToIPv4() : remote).ToString()
                : "";
        }

        if (options.LogAuthId && auth is not null)
        {
            data["authId"] = auth.Id;
        }

        if (context.Features.Get<IExceptionHandlerFeature>()?.Error is { } exception)
        {
            var error = exception as ApiError;
            data["error"] = error?.Message ?? "Something went wrong while processing your request.";
            if (error is not null && error.Data.Count > 0)
            {
                data["details"] = error.Data.DeepClone();
            }
        }

        writer.Enqueue(new LogEntry(
            RandomText.Lowercase(15),
            DateFormat.Format(time.GetUtcNow()),
            level,
            string.Create(CultureInfo.InvariantCulture, $"{request.Method} {url}"),
            data));
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

        var parts = query.Value!.TrimStart('?').Split('&');
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
