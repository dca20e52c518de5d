namespace Basalt.Tests.Query;

/// <summary>A clock stopped at one instant, for date macros.</summary>
internal sealed class FixedTimeProvider(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
