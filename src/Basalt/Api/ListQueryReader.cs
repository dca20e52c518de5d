using System.Globalization;
using Basalt.Query;
using Microsoft.AspNetCore.Http;

namespace Basalt.Api;

/// <summary>Reads <c>page, perPage, sort, filter, skipTotal, expand</c> from a list request's query string.</summary>
internal static class ListQueryReader
{
    public static ListQuery Read(IQueryCollection query) => new()
    {
        Page = ParseInt(query["page"], "page", 1),
        PerPage = Math.Min(ParseInt(query["perPage"], "perPage", ListQuery.DefaultPerPage), QueryLimits.MaxPerPage),
        Sort = query["sort"],
        Filter = query["filter"],
        SkipTotal = ParseBool(query["skipTotal"]),
        Expand = query["expand"],
    };

    /// <summary>PocketBase's truthy query values: 1, t, true (any case).</summary>
    public static bool ParseBool(string? value) =>
        value is not null && value.Trim().ToLowerInvariant() is "1" or "t" or "true";

    private static int ParseInt(string? value, string name, int fallback)
    {
        if (string.IsNullOrEmpty(value))
        {
            return fallback;
        }

        if (!int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n))
        {
            throw ApiError.Field($"Invalid \"{name}\" parameter format.", name, "validation_invalid_value", "Must be an integer.");
        }

        return n <= 0 ? fallback : n;
    }
}
