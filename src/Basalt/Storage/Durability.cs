namespace Basalt.Storage;

/// <summary>How SQLite acknowledges a write (PostgreSQL always runs with <c>synchronous_commit=on</c>).</summary>
public enum Durability
{
    /// <summary>Every acknowledged write is fsynced (SQLite <c>synchronous=FULL</c>).</summary>
    Full,

    /// <summary>SQLite <c>synchronous=NORMAL</c>, as PocketBase: a power cut can lose the last acknowledged writes.</summary>
    Fast,
}
