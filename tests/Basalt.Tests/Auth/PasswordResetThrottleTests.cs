using Basalt.Auth;
using Basalt.Model;
using Record = Basalt.Model.Record;

namespace Basalt.Tests.Auth;

/// <summary>The two-minute password-reset resend window, per record, on a clock the test moves.</summary>
public sealed class PasswordResetThrottleTests
{
    private readonly ManualClock _clock = new(new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero));

    [Fact]
    public void One_mail_per_record_until_two_minutes_pass()
    {
        var throttle = new PasswordResetThrottle(_clock);
        var alice = NewRecord("users", "alice");

        Assert.True(throttle.TryAcquire(alice));
        Assert.False(throttle.TryAcquire(alice));
        _clock.Now += TimeSpan.FromSeconds(119);
        Assert.False(throttle.TryAcquire(alice));
        _clock.Now += TimeSpan.FromSeconds(1);
        Assert.True(throttle.TryAcquire(alice));
        Assert.False(throttle.TryAcquire(alice));
    }

    [Fact]
    public void Records_and_collections_are_counted_apart()
    {
        var throttle = new PasswordResetThrottle(_clock);

        Assert.True(throttle.TryAcquire(NewRecord("users", "alice")));
        Assert.True(throttle.TryAcquire(NewRecord("users", "bob")));
        Assert.True(throttle.TryAcquire(NewRecord("staff", "alice")));
        Assert.False(throttle.TryAcquire(NewRecord("users", "bob")));
    }

    private static Record NewRecord(string collectionId, string id)
    {
        var collection = new Collection { Id = collectionId, Name = collectionId, Type = CollectionType.Auth };
        return new Record(collection) { Id = id };
    }
}
