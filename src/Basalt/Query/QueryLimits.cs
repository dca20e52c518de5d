namespace Basalt.Query;

/// <summary>The limits of the filter, rule and sort language, as PocketBase enforces them.</summary>
public static class QueryLimits
{
    /// <summary>Longest client filter, in characters.</summary>
    public const int MaxFilterLength = 3500;

    /// <summary>Most comparisons in one filter or rule.</summary>
    public const int MaxExpressions = 200;

    /// <summary>Most keys in one <c>sort</c> parameter.</summary>
    public const int MaxSortKeys = 8;

    /// <summary>Longest single sort key, in characters.</summary>
    public const int MaxSortKeyLength = 255;

    /// <summary>Most relation hops (forward or back) in one field path.</summary>
    public const int MaxRelationDepth = 6;

    /// <summary>Largest page a list request may ask for; larger values are clamped.</summary>
    public const int MaxPerPage = 1000;

    /// <summary>
    /// Deepest nesting of parenthesised groups. The parser recurses per group and rules have no length limit, so without
    /// it a rule of a few hundred thousand '(' would overflow the stack, which ends the process.
    /// </summary>
    public const int MaxGroupNesting = 100;

    /// <summary>Deepest nesting of function calls inside function arguments.</summary>
    public const int MaxFunctionNesting = 2;

    /// <summary>Most distinct expression strings whose parse tree is kept.</summary>
    public const int ParseCacheSize = 2048;
}
