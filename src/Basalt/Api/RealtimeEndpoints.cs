using System.Text.Json.Nodes;
using Basalt.Errors;
using Basalt.Http;
using Basalt.Realtime;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace Basalt.Api;

/// <summary>The realtime API of §8: <c>GET /api/realtime</c> opens the SSE stream, <c>POST /api/realtime</c> sets its subscriptions.</summary>
public static class RealtimeEndpoints
{
    public const int MaxClientIdLength = 255;
    public const int MaxSubscriptions = 1000;
    public const int MaxTopicLength = 2500;

    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/realtime", ConnectAsync);
        api.MapPost("/realtime", SubscribeAsync);
    }

    /// <summary>
    /// Streams until the idle or lifetime timeout, the peer leaving, or the host stopping (so a long-lived stream never
    /// holds up a graceful shutdown; <see cref="RealtimeSweeper"/> sees to all four); the client is removed on every way out.
    /// </summary>
    private static async Task ConnectAsync(
        HttpContext context, RealtimeClientRegistry registry, IRealtimeBroker broker, ClientIpResolver ips, IOptions<ApiOptions> options, TimeProvider time)
    {
        var ip = await ips.ResolveAsync(context);
        var response = context.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-store";
        response.Headers["X-Accel-Buffering"] = "no";
        if (ReferenceEquals(response.Body, Stream.Null))
        {
            // HEAD (answered as a GET without a body): the headers are the whole answer, no client is created.
            return;
        }

        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        var client = registry.Connect(ip, options.Value.RealtimeQueueCapacity);
        client.ResumeFrom = ResumeFrom(context.Request);
        client.StartClocks(new RealtimeTimeouts(options.Value.RealtimeIdleTimeout, options.Value.RealtimeMaxLifetime), time);
        client.Aborted = context.RequestAborted;
        try
        {
            // Before PB_CONNECT: the subscribe that follows it may reach another node, which must find the client.
            await broker.ClientConnectedAsync(client, context.RequestAborted);
            await SseStream.RunAsync(response.BodyWriter, client);
        }
        finally
        {
            client.Detach();
            registry.Remove(client);
            await broker.ClientGoneAsync(client);
            client.Dispose();
        }
    }

    /// <summary>
    /// Sets the subscriptions of a client of this node, or of another node's through the broker (no sticky routing
    /// needed): everything that can be checked here is checked first, so a bad body gets the same answer on any node.
    /// </summary>
    private static async Task<IResult> SubscribeAsync(
        HttpContext context, RequestBodyReader reader, RealtimeClientRegistry registry, RealtimeDispatcher dispatcher, IRealtimeBroker broker,
        ClientIpResolver ips)
    {
        var body = await reader.ReadAsync(context.Request, context.RequestAborted);
        var isForm = context.Request.HasFormContentType;
        var clientId = BodyText.Required(context.Request, body, "clientId");
        var subscriptions = Parse(clientId, Topics(body, isForm));
        var ip = await ips.ResolveAsync(context);
        var resumeFrom = ResumeFrom(context.Request);

        var outcome = registry.Find(clientId) is { } client
            ? await RealtimeSubscribing.ApplyAsync(dispatcher, client, ip, context.GetAuthRecord(), subscriptions, resumeFrom, null, context.RequestAborted)
            : await broker.ForwardSubscribeAsync(
                new ForwardedSubscribe(clientId, ip, context.GetAuthRecord(), [.. subscriptions.Select(s => s.Raw)], resumeFrom), context.RequestAborted);
        return outcome switch
        {
            SubscribeOutcome.Applied => Results.NoContent(),
            SubscribeOutcome.IpMismatch => throw ApiError.BadRequest("The current and the previous request IP don't match."),
            SubscribeOutcome.AuthMismatch => throw ApiError.Forbidden("The current and the previous request authorization don't match."),
            SubscribeOutcome.Unavailable => throw ApiError.ServiceUnavailable("The subscription could not be confirmed, try again."),
            _ => throw ApiError.NotFound("Missing or invalid client id."),
        };
    }

    /// <summary>The change-log id a client resumes after, on connect or on its first subscribe (docs/realtime.md).</summary>
    private static long? ResumeFrom(HttpRequest request) =>
        RealtimeResume.Parse(request.Headers[RealtimeResume.Header], request.Query[RealtimeResume.QueryParameter]);

    /// <summary>
    /// The <c>subscriptions</c> member as strings; absent or null is none. A form sends one value as a plain string and
    /// its scalars were inferred, so their raw text is taken back; in JSON anything but strings fails to load.
    /// </summary>
    private static List<string> Topics(JsonObject body, bool isForm)
    {
        var node = body["subscriptions"];
        var items = node switch
        {
            null => [],
            JsonArray array => array.ToList(),
            JsonValue when isForm => [node],
            _ => throw ApiError.BadRequest(ApiError.LoadFailed),
        };

        var topics = new List<string>(items.Count);
        foreach (var item in items)
        {
            topics.Add(item switch
            {
                JsonValue v when v.TryGetValue<string>(out var s) => s,
                JsonValue v when isForm => v.ToJsonString(),
                _ => throw ApiError.BadRequest(ApiError.LoadFailed),
            });
        }

        return topics;
    }

    /// <summary>
    /// PocketBase's limits, each error under its field; then each topic's options. Empty strings are skipped and repeats
    /// kept once, as PocketBase keys subscriptions by their string. Line breaks are refused: the name is an SSE line.
    /// </summary>
    private static List<RealtimeSubscription> Parse(string clientId, List<string> topics)
    {
        var errors = new ValidationErrors();
        if (clientId.Length == 0)
        {
            errors.Add("clientId", "validation_required", "Cannot be blank.");
        }
        else if (clientId.Length > MaxClientIdLength)
        {
            errors.Add("clientId", "validation_length_out_of_range", $"The length must be between 1 and {MaxClientIdLength}.");
        }

        var topicErrors = new JsonObject();
        if (topics.Count > MaxSubscriptions)
        {
            errors.Add("subscriptions", "validation_length_too_long", $"The length must be no more than {MaxSubscriptions}.");
        }

        var parsed = new List<RealtimeSubscription>(topics.Count);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < topics.Count && topics.Count <= MaxSubscriptions; i++)
        {
            var topic = topics[i];
            string? error = null;
            RealtimeSubscription? subscription = null;
            if (topic.Length > MaxTopicLength)
            {
                error = $"The length must be no more than {MaxTopicLength}.";
            }
            else if (topic.AsSpan().IndexOfAny('\r', '\n') >= 0)
            {
                error = "Must not contain line breaks.";
            }
            else if (topic.Length > 0 && !seen.Contains(topic))
            {
                subscription = RealtimeSubscription.TryParse(topic, out error);
            }

            if (error is not null)
            {
                var code = topic.Length > MaxTopicLength ? "validation_length_too_long" : "validation_invalid_value";
                topicErrors[i.ToString(System.Globalization.CultureInfo.InvariantCulture)] = ValidationErrors.Leaf(code, error, null);
            }
            else if (subscription is not null && seen.Add(topic))
            {
                parsed.Add(subscription);
            }
        }

        if (topicErrors.Count > 0)
        {
            errors.AddNested("subscriptions", topicErrors);
        }

        errors.ThrowIfAny(ApiError.DefaultBadRequest);
        return parsed;
    }
}
