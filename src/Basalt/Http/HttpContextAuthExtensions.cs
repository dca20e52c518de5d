using Basalt.Model;
using Microsoft.AspNetCore.Http;

namespace Basalt.Http;

/// <summary>Where the token middleware leaves the authenticated record for the rest of the request.</summary>
public static class HttpContextAuthExtensions
{
    private const string Key = "basalt.auth";

    public static Record? GetAuthRecord(this HttpContext context) =>
        context.Items.TryGetValue(Key, out var value) ? value as Record : null;

    public static void SetAuthRecord(this HttpContext context, Record? record) => context.Items[Key] = record;
}
