using Basalt.Model;

namespace Basalt.Collections;

/// <summary>One page of collections; the totals are -1 when the count was skipped.</summary>
public sealed record CollectionPage(int Page, int PerPage, long TotalItems, long TotalPages, IReadOnlyList<Collection> Items);
