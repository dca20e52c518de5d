using Basalt.Errors;

namespace Basalt.Query;

/// <summary>The errors a filter, rule or sort can produce, with PocketBase's messages.</summary>
internal static class QueryErrors
{
    /// <summary>The texts PocketBase forbids in a non-superuser's filter and sort, in the order it looks for them.</summary>
    public static readonly string[] SuperuserOnlyTexts = ["@collection.", "@request."];

    /// <summary>PocketBase answers every unusable filter or sort with the generic 400 and empty data; the detail stays in the inner exception.</summary>
    public static ApiError Invalid(string detail) =>
        new(400, ApiError.DefaultBadRequest, null, new FilterSyntaxException(detail));

    /// <summary>403 naming the forbidden text found (<c>@collection.</c> or <c>@request.</c>).</summary>
    public static ApiError Forbidden(string text) => ApiError.Forbidden("Only superusers can filter by " + text);
}
