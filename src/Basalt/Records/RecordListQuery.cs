namespace Basalt.Records;

/// <summary>The parsed query of a list request (§4.1); paging values are already defaulted and clamped by the endpoint.</summary>
public sealed record RecordListQuery
{
    public const int DefaultPerPage = 30;
    public const int MaxPerPage = 1000;

    public int Page { get; init; } = 1;

    public int PerPage { get; init; } = DefaultPerPage;

    public string? Sort { get; init; }

    public string? Filter { get; init; }

    public bool SkipTotal { get; init; }

    public string? Expand { get; init; }
}
