using Basalt.Model;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Basalt.Api;

/// <summary>
/// PocketBase's record body limit (apis/middlewares_body_limit.go): the default limit plus, for each field of the
/// collection, what it may carry: a file field <c>maxSize</c> × <c>maxSelect</c> (5 MiB and 1 when unset), an editor
/// its <c>maxSize</c> (5 MiB), a json field its <c>maxSize</c> (1 MiB). Uploads can be large; hostile bodies stay bounded.
/// </summary>
public static class RecordBodyLimit
{
    public static readonly BodySizeLimit Metadata = new(Resolve);

    public static long For(Collection collection, long defaultLimit)
    {
        var total = defaultLimit;
        foreach (var field in collection.Fields)
        {
            var maxSize = field.GetNumber("maxSize") is > 0 and var size ? (long)Math.Min(size, long.MaxValue / 4) : 0;
            var allowance = field.Type switch
            {
                FieldType.File => Saturating(maxSize > 0 ? maxSize : 5L << 20, Math.Max(field.MaxSelect, 1)),
                FieldType.Editor => maxSize > 0 ? maxSize : 5L << 20,
                FieldType.Json => maxSize > 0 ? maxSize : 1L << 20,
                _ => 0,
            };

            // Settings may allow a maxSize near 10^15 and any maxSelect: a wrapped sum would refuse every upload.
            total = allowance > long.MaxValue - total ? long.MaxValue : total + allowance;
        }

        return total;
    }

    private static long Saturating(long size, long count) => size > long.MaxValue / count ? long.MaxValue : size * count;

    private static long Resolve(HttpContext context, long defaultLimit) =>
        context.Request.RouteValues["collection"] is string name && context.RequestServices.GetRequiredService<ICollectionLookup>().Find(name) is { } collection
            ? For(collection, defaultLimit)
            : defaultLimit;
}
