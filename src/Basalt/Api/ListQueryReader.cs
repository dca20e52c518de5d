using System.Globalization;
using Basalt.Errors;
using Basalt.Query;
using Microsoft.AspNetCore.Http;

namespace Basalt.Api;

/// <summary>Reads <c>page, perPage, sort, filter, skipTotal, expand</c> from a list request's query string.</summary>
internal static class ListQueryReader
{
    public static ListQuery Read(IQueryCollection query) => new()
    {
        Page = ParseInt(query["page"], 1),
        PerPage = Math.Min(ParseInt(query["perPage"], ListQuery.DefaultPerPage), QueryLimits.MaxPerPage),
        Sort = query["sort"],
        Filter = query["filter"],
        SkipTotal = ParseStrictBool(query["skipTotal"]),
        Expand = query["expand"],
    };

    /// <summary>PocketBase's truthy query values: 1, t, true (any case).</summary>
    public static bool ParseBool(string? value) =>
        value is not null && value.Trim().ToLowerInvariant() is "1" or "t" or "true";

    /// <summary>
    /// PocketBase parses paging with Go's strconv (Atoi, ParseBool) and answers a value they reject with the generic
    /// 400 and empty data, without naming the parameter.
    /// </summary>
    private static int ParseInt(string? value, int fallback)
    {
        if (string.IsNullOrEmpty(value))
        {
            return fallback;
        }

        if (!int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n))
        {
            throw ApiError.BadRequest();
        }

        return n <= 0 ? fallback : n;
    }

    private static bool ParseStrictBool(string? value) => value switch
    {
        null or "" => false,
        "1" or "t" or "T" or "true" or "TRUE" or "True" => true,
        "0" or "f" or "F" or "false" or "FALSE" or "False" => false,
        _ => throw ApiError.BadRequest(),
    };
}
