namespace Basalt.Client;

/// <summary>What every request may carry besides its body: extra query parameters, headers, and <c>?fields=</c>.</summary>
public class RequestOptions
{
    /// <summary>Extra query parameters; a null value is left out.</summary>
    public IDictionary<string, string?> Query { get; } = new Dictionary<string, string?>(StringComparer.Ordinal);

    /// <summary>Extra request headers.</summary>
    public IDictionary<string, string> Headers { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>The keys to keep in the answer (<c>id,title,expand.author.name</c>, <c>*,body:excerpt(200)</c>).</summary>
    public string? Fields { get; set; }

    /// <summary>Every query parameter of the request, the typed ones first.</summary>
    internal virtual IEnumerable<KeyValuePair<string, string?>> QueryPairs()
    {
        yield return new("fields", Fields);
        foreach (var pair in Query)
        {
            yield return pair;
        }
    }
}

/// <summary>Options of a request that returns records: <c>?expand=</c> and <c>?fields=</c>.</summary>
public class RecordOptions : RequestOptions
{
    /// <summary>Relations to expand, comma separated, nested with dots (<c>author,comments_via_post.user</c>).</summary>
    public string? Expand { get; set; }

    internal override IEnumerable<KeyValuePair<string, string?>> QueryPairs() =>
        base.QueryPairs().Prepend(new("expand", Expand));
}

/// <summary>Options of a list: page, size, filter, sort, expand, fields and whether to skip the total count.</summary>
public sealed class ListOptions : RecordOptions
{
    /// <summary>The 1-based page (the server's default is 1).</summary>
    public int? Page { get; set; }

    /// <summary>Items per page (the server's default is 30, its maximum 1000).</summary>
    public int? PerPage { get; set; }

    /// <summary>A filter expression; build one with bound values through <see cref="Filter.Format"/>.</summary>
    public string? Filter { get; set; }

    /// <summary>Sort keys, comma separated: <c>-created,title</c>, <c>@random</c>.</summary>
    public string? Sort { get; set; }

    /// <summary>Skips the count query; the result then has <c>TotalItems</c> and <c>TotalPages</c> of -1.</summary>
    public bool SkipTotal { get; set; }

    internal ListOptions With(int page, int perPage, bool skipTotal)
    {
        var copy = new ListOptions { Page = page, PerPage = perPage, Filter = Filter, Sort = Sort, SkipTotal = skipTotal, Expand = Expand, Fields = Fields };
        foreach (var (key, value) in Query)
        {
            copy.Query[key] = value;
        }

        foreach (var (key, value) in Headers)
        {
            copy.Headers[key] = value;
        }

        return copy;
    }

    internal override IEnumerable<KeyValuePair<string, string?>> QueryPairs() =>
        new KeyValuePair<string, string?>[]
        {
            new("page", Page?.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new("perPage", PerPage?.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new("filter", Filter),
            new("sort", Sort),
            new("skipTotal", SkipTotal ? "1" : null),
        }.Concat(base.QueryPairs());
}
