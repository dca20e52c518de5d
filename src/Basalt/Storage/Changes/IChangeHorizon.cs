namespace Basalt.Storage.Changes;

/// <summary>
/// Where the change log is settled when other processes append to it too (several nodes on one PostgreSQL): no
/// process can track the others' open appends, so the bound is read from the database (<see cref="Postgres.PostgresChangeHorizon"/>).
/// </summary>
public interface IChangeHorizon
{
    /// <summary>True while some ids below the newest one seen may still appear: ask again soon.</summary>
    bool Pending { get; }

    /// <summary>The newest id below which no entry can appear any more (never goes back).</summary>
    Task<long> SettleAsync(CancellationToken cancellationToken);
}
