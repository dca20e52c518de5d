using Basalt.Model;
using Basalt.Storage.Changes;

namespace Basalt.Realtime;

/// <summary>
/// Keeps the auth bound to clients current (§8.2) as the change log reports writes to auth records, in commit order
/// with the events: a changed tokenKey (password or email change) unbinds it, any other update refreshes the bound
/// copy, a delete unbinds it; so rules never read a stale or revoked auth.
/// </summary>
internal static class RealtimeAuthBindings
{
    /// <summary>Before the event of an update is evaluated: the new state applies to it.</summary>
    public static void Updated(RealtimeClientRegistry registry, string action, Record record)
    {
        if (!record.Collection.IsAuth || action != ChangeActions.Update)
        {
            return;
        }

        var key = record.Collection.Id + "/" + record.Id;
        foreach (var client in registry.Clients)
        {
            if (client.AuthKey == key && client.Auth is { } bound)
            {
                var revoked = !string.Equals(bound.GetString("tokenKey"), record.GetString("tokenKey"), StringComparison.Ordinal);
                client.ReplaceAuth(revoked ? null : record);
            }
        }
    }

    /// <summary>After the event of a delete was evaluated (PocketBase judges it while the record still stands).</summary>
    public static void Deleted(RealtimeClientRegistry registry, string action, Record record)
    {
        if (!record.Collection.IsAuth || action != ChangeActions.Delete)
        {
            return;
        }

        var key = record.Collection.Id + "/" + record.Id;
        foreach (var client in registry.Clients)
        {
            if (client.AuthKey == key)
            {
                client.ReplaceAuth(null);
            }
        }
    }
}
