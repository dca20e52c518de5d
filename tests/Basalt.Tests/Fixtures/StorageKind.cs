namespace Basalt.Tests.Fixtures;

/// <summary>The two databases every behaviour is tested on.</summary>
public enum StorageKind
{
    Sqlite,
    Postgres,
}
