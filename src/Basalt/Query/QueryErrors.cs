using Basalt.Api;

namespace Basalt.Query;

/// <summary>The errors a filter, rule or sort can produce, with PocketBase's messages.</summary>
internal static class QueryErrors
{
    public const string OnlySuperusersFilter = "Only superusers can filter by @collection.";

    /// <summary>PocketBase answers every unusable filter or sort with the generic 400 and empty data; the detail stays in the inner exception.</summary>
    public static ApiError Invalid(string detail) =>
        new(400, ApiError.DefaultBadRequest, null, new FilterSyntaxException(detail));

    public static ApiError Forbidden() => ApiError.Forbidden(OnlySuperusersFilter);
}
