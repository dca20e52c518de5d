namespace Basalt.Records;

/// <summary>What one sub-request of a batch asks for (§10); an upsert updates the record its body names, or creates it.</summary>
public enum BatchAction
{
    Create,
    Update,
    Upsert,
    Delete,
}
