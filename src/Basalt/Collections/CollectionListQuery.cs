namespace Basalt.Collections;

/// <summary>The parsed query of <c>GET /api/collections</c>: paging (already defaulted and clamped), sort, filter and skipTotal.</summary>
public sealed record CollectionListQuery
{
    public const int DefaultPerPage = 30;
    public const int MaxPerPage = 1000;

    public int Page { get; init; } = 1;

    public int PerPage { get; init; } = DefaultPerPage;

    public string? Sort { get; init; }

    public string? Filter { get; init; }

    public bool SkipTotal { get; init; }
}
