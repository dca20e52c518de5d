using Basalt.Common;

namespace Basalt.Tests.Common;

/// <summary>What per-client limits count a client by (<see cref="IpRanges.ClientKey"/>).</summary>
public sealed class IpRangesTests
{
    [Theory]
    [InlineData("203.0.113.7", "203.0.113.7")]
    [InlineData("::ffff:203.0.113.7", "203.0.113.7")]
    [InlineData("2001:db8:1:2::1", "2001:db8:1:2::/64")]
    [InlineData("2001:db8:1:2:ffff:ffff:ffff:ffff", "2001:db8:1:2::/64")]
    [InlineData("2001:DB8:1:2:3:4:5:6", "2001:db8:1:2::/64")]
    [InlineData("fe80::1%2", "fe80::/64")]
    [InlineData("::1", "::/64")]
    [InlineData("", "")]
    [InlineData("not-an-ip", "not-an-ip")]
    public void An_ipv4_address_is_a_client_of_its_own_and_an_ipv6_address_counts_as_its_64(string ip, string key) =>
        Assert.Equal(key, IpRanges.ClientKey(ip));
}
