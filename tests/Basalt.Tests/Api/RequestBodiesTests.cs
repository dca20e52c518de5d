using Basalt.Api;
using Basalt.Errors;

namespace Basalt.Tests.Api;

/// <summary>Whole bodies read into memory: exact for a small declared length, growing with what arrives otherwise, refused past the limit.</summary>
public sealed class RequestBodiesTests
{
    [Fact]
    public async Task A_small_declared_body_costs_about_its_own_size()
    {
        var body = new byte[300];
        Random.Shared.NextBytes(body);
        await RequestBodies.ReadAsync(new MemoryStream(body), body.Length, 1 << 20, CancellationToken.None);

        // One warmed-up read: the array of 300 bytes and the call's own few objects, not an 80 KB chunk per request.
        var before = GC.GetAllocatedBytesForCurrentThread();
        var read = await RequestBodies.ReadAsync(new MemoryStream(body), body.Length, 1 << 20, CancellationToken.None);
        Assert.InRange(GC.GetAllocatedBytesForCurrentThread() - before, 0, 4096);
        Assert.Equal(body, read);
    }

    [Fact]
    public async Task A_body_shorter_than_it_declared_is_a_400()
    {
        var error = await Assert.ThrowsAsync<ApiError>(() => RequestBodies.ReadAsync(new MemoryStream(new byte[10]), 100, 1 << 20, CancellationToken.None));
        Assert.Equal(400, error.Status);
    }

    [Fact]
    public async Task A_large_declared_length_is_not_taken_on_trust()
    {
        // Ten bytes arrive for a declared megabyte: the server keeps what came, not an array of the declared size.
        var before = GC.GetAllocatedBytesForCurrentThread();
        var read = await RequestBodies.ReadAsync(new MemoryStream(new byte[10]), 1 << 20, 1 << 21, CancellationToken.None);
        Assert.Equal(10, read.Length);
        Assert.InRange(GC.GetAllocatedBytesForCurrentThread() - before, 0, 64 * 1024);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(5000L)]
    public async Task A_body_past_the_limit_is_a_413(long? declared)
    {
        var error = await Assert.ThrowsAsync<ApiError>(() => RequestBodies.ReadAsync(new MemoryStream(new byte[5000]), declared, 4000, CancellationToken.None));
        Assert.Equal(413, error.Status);
    }
}
