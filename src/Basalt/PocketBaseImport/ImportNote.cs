namespace Basalt.PocketBaseImport;

/// <summary>Something an import could not carry over as it was, and why (the summary lists every one).</summary>
public sealed record ImportNote(string Subject, string Reason)
{
    public override string ToString() => Subject + ": " + Reason;
}
