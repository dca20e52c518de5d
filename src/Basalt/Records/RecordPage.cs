using Basalt.Model;

namespace Basalt.Records;

/// <summary>One page of a list: <c>{page, perPage, totalItems, totalPages, items}</c>; totals are -1 with skipTotal.</summary>
public sealed record RecordPage(int Page, int PerPage, long TotalItems, long TotalPages, IReadOnlyList<Record> Items);
