using Basalt.Model;

namespace Basalt.Query;

/// <summary>What a filter, sort or rule is compiled against: the collection (as table alias), the request and its caller.</summary>
public sealed record FilterContext
{
    public required ICollectionLookup Collections { get; init; }

    public required Collection Collection { get; init; }

    /// <summary>The alias of the collection's table in the surrounding statement.</summary>
    public string Alias { get; init; } = "m";

    public required RequestInfo Request { get; init; }

    /// <summary>
    /// True for API rules (hidden fields, <c>@request.*</c> and <c>@collection.*</c> allowed); false for a client's
    /// <c>filter</c>/<c>sort</c>, which for non-superusers gets the restrictions of §5.2.
    /// </summary>
    public bool IsRule { get; init; }
}
