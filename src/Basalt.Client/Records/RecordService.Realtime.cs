using Basalt.Client.Realtime;

namespace Basalt.Client.Records;

/// <summary>Record subscriptions: <c>{collection}/*</c> (the list rule applies) or <c>{collection}/{id}</c> (the view rule).</summary>
public sealed partial class RecordService
{
    /// <summary>
    /// Calls <paramref name="callback"/> with every create, update and delete of the records of this collection
    /// (<paramref name="topic"/> <c>*</c>) or of one record (its id) that the signed-in identity may see.
    /// </summary>
    public Task<RealtimeSubscription> SubscribeAsync(
        string topic, Action<RecordEvent> callback, SubscribeOptions? options = null, CancellationToken cancellationToken = default) =>
        _client.Realtime.SubscribeAsync(
            Collection + "/" + topic,
            message =>
            {
                var data = JsonRead.Object(message.Data);
                callback(new RecordEvent(JsonRead.String(data["action"]) ?? "", JsonRead.Object(data["record"]?.DeepClone()), message.Id));
            },
            options,
            cancellationToken);

    /// <summary>Removes every subscription of this collection's <paramref name="topic"/>, or all of this collection's when null.</summary>
    public Task UnsubscribeAsync(string? topic = null, CancellationToken cancellationToken = default) =>
        topic is null
            ? _client.Realtime.UnsubscribeByPrefixAsync(Collection + "/", cancellationToken)
            : _client.Realtime.UnsubscribeAsync(Collection + "/" + topic, cancellationToken);
}
