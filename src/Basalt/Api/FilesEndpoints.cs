using Basalt.Errors;
using Basalt.Files;
using Basalt.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Basalt.Api;

/// <summary>
/// <c>/api/files</c> (§9): <c>POST /token</c> gives the signed-in record a short-lived file token, and
/// <c>GET|HEAD /{collection}/{recordId}/{filename}</c> serves a stored file (a protected one with <c>?token=</c>).
/// </summary>
public static class FilesEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        var files = api.MapGroup("/files");
        files.MapPost("/token", Token);
        files.MapMethods("/{collection}/{recordId}/{filename}", ["GET", "HEAD"], DownloadAsync).WithMetadata(AllowFraming.Instance);
    }

    private static IResult Token(HttpContext context, FileTokens tokens)
    {
        var auth = context.GetAuthRecord() ?? throw ApiError.Unauthorized(CollectionsEndpoints.MissingAuth);
        return Results.Json(new Dictionary<string, string>(StringComparer.Ordinal) { ["token"] = tokens.Create(auth) }, ApiJsonContext.Default.DictionaryStringString);
    }

    private static async Task DownloadAsync(HttpContext context, string collection, string recordId, string filename, FileService files, FileTokens tokens)
    {
        // PocketBase reads the first of repeated parameters; joining them ("a,b") would refuse a valid token sent second.
        var token = (context.Request.Query["token"].FirstOrDefault() ?? "").Trim();
        var tokenRecord = token.Length > 0 ? await tokens.VerifyAsync(token, context.RequestAborted) : null;
        var thumb = context.Request.Query["thumb"].FirstOrDefault() ?? "";
        var file = await files.FindAsync(collection, recordId, filename, thumb, tokenRecord, RequestInfoFactory.Create(context), context.RequestAborted);
        await FileResponse.WriteAsync(context, file, (offset, length, ct) => OpenAsync(files, file, offset, length, ct));
    }

    /// <summary>A file deleted between the lookup and the read (its record was just updated) is a 404 like any missing file.</summary>
    private static async Task<Stream> OpenAsync(FileService files, ServedFile file, long offset, long length, CancellationToken cancellationToken)
    {
        try
        {
            return await files.OpenAsync(file, offset, length, cancellationToken);
        }
        catch (FileNotFoundException e)
        {
            throw new ApiError(StatusCodes.Status404NotFound, "The requested resource wasn't found.", null, e);
        }
    }
}
