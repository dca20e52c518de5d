namespace Basalt.Query;

/// <summary>
/// The parsed query of a list request (§4.1), shared by records and collections: paging (already defaulted and
/// clamped), sort, filter, skipTotal and expand.
/// </summary>
public sealed record ListQuery
{
    public const int DefaultPerPage = 30;

    public int Page { get; init; } = 1;

    public int PerPage { get; init; } = DefaultPerPage;

    public string? Sort { get; init; }

    public string? Filter { get; init; }

    public bool SkipTotal { get; init; }

    public string? Expand { get; init; }

    /// <summary>Rows to skip for <see cref="Page"/>; a page past the last row any table could hold is clamped, not overflowed.</summary>
    public int Offset => (int)Math.Min((long)(Page - 1) * PerPage, int.MaxValue);
}
