namespace Basalt.Storage.Changes;

/// <summary>The actions of change-log entries, which are also the <c>action</c> of the realtime events they produce.</summary>
public static class ChangeActions
{
    public const string Create = "create";
    public const string Update = "update";
    public const string Delete = "delete";
}
