using System.Text.Json.Nodes;
using Basalt.Backups;
using Basalt.Common;
using Basalt.Errors;
using Basalt.Files;
using Basalt.Http;
using Basalt.Model;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace Basalt.Api;

/// <summary>
/// <c>/api/backups</c> (§11), superusers only: list, create, upload (no body limit), delete, restore, and the download,
/// which is authorized by a superuser's file token in <c>?token=</c> (so a browser link can fetch it), as PocketBase's.
/// </summary>
public static class BackupsEndpoints
{
    public const string Forbidden = "Insufficient permissions to access the resource.";

    public static void Map(IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/backups");
        group.MapGet("/{key}", DownloadAsync);

        var superusers = group.MapGroup("");
        superusers.AddEndpointFilter(async (context, next) =>
        {
            CollectionsEndpoints.RequireSuperuser(context.HttpContext);
            return await next(context);
        });
        superusers.MapGet("", ListAsync);
        superusers.MapPost("", CreateAsync);
        superusers.MapPost("/upload", UploadAsync).WithMetadata(new BodySizeLimit((context, limit) => IsSuperuser(context) ? long.MaxValue : limit));
        superusers.MapDelete("/{key}", DeleteAsync);
        superusers.MapPost("/{key}/restore", RestoreAsync);
    }

    private static async Task ListAsync(HttpContext context, BackupService backups)
    {
        var list = await backups.ListAsync(context.RequestAborted);
        await CollectionsEndpoints.WriteAsync(context, new JsonArray(list.Select(b => (JsonNode)new JsonObject
        {
            ["key"] = b.Key,
            ["size"] = b.Size,
            ["modified"] = DateFormat.Format(b.Modified),
        }).ToArray()));
    }

    private static async Task<IResult> CreateAsync(HttpContext context, BackupService backups, RequestBodyReader reader)
    {
        var body = context.Request.ContentLength is 0 ? [] : await reader.ReadAsync(context.Request, context.RequestAborted);
        var name = body["name"] switch
        {
            null => null,
            JsonValue v when v.TryGetValue<string>(out var s) => s,
            _ => throw ApiError.Field("An error occurred while validating the submitted data.", "name", "validation_invalid_value", "Must be a string."),
        };

        // Only the scheduler names a backup @auto_…: retention deletes those, so a client's name never may.
        if (!string.IsNullOrEmpty(name) && !BackupNames.IsValidNew(name))
        {
            throw ApiError.Field("An error occurred while validating the submitted data.", "name", "validation_match_invalid", "Invalid value format.");
        }

        // Not the request's token: a backup that has started finishes even if the client goes away.
        await backups.CreateAsync(name, null, CancellationToken.None);
        return Results.NoContent();
    }

    private static async Task<IResult> UploadAsync(HttpContext context, BackupService backups)
    {
        if (!MediaTypeHeaderValue.TryParse(context.Request.ContentType, out var type) || !type.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase) ||
            HeaderUtilities.RemoveQuotes(type.Boundary).Value is not { Length: > 0 } boundary)
        {
            throw MissingFile();
        }

        var reader = new MultipartReader(boundary, context.Request.Body);
        while (await reader.ReadNextSectionAsync(context.RequestAborted) is { } section)
        {
            if (ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition) && disposition.IsFileDisposition() &&
                HeaderUtilities.RemoveQuotes(disposition.Name).Value == "file")
            {
                var fileName = HeaderUtilities.RemoveQuotes(disposition.FileNameStar.HasValue ? disposition.FileNameStar : disposition.FileName).Value ?? "";
                await backups.UploadAsync(fileName, section.Body, context.RequestAborted);
                return Results.NoContent();
            }
        }

        throw MissingFile();
    }

    private static async Task DownloadAsync(HttpContext context, string key, BackupService backups, FileTokens tokens)
    {
        var token = (context.Request.Query["token"].FirstOrDefault() ?? "").Trim();
        var record = token.Length > 0 ? await tokens.VerifyAsync(token, context.RequestAborted) : null;
        if (record?.Collection.Name != SystemCollections.Superusers)
        {
            throw ApiError.Forbidden(Forbidden);
        }

        var (info, content) = await backups.OpenAsync(key, context.RequestAborted);
        await using (content)
        {
            context.Response.ContentType = "application/zip";
            context.Response.ContentLength = info.Size;
            context.Response.Headers.ContentDisposition = new ContentDispositionHeaderValue("attachment") { FileNameStar = info.Key }.ToString();
            await content.CopyToAsync(context.Response.Body, context.RequestAborted);
        }
    }

    private static async Task<IResult> DeleteAsync(HttpContext context, string key, BackupService backups)
    {
        await backups.DeleteAsync(key, context.RequestAborted);
        return Results.NoContent();
    }

    private static async Task<IResult> RestoreAsync(string key, BackupService backups)
    {
        // Answered once the data is replaced (PocketBase answers first and restarts); a client going away does not cut it short.
        await backups.RestoreAsync(key, null, CancellationToken.None);
        return Results.NoContent();
    }

    private static bool IsSuperuser(HttpContext context) => context.GetAuthRecord()?.Collection.Name == SystemCollections.Superusers;

    private static ApiError MissingFile() =>
        ApiError.Field("An error occurred while validating the submitted data.", "file", "validation_required", "Cannot be blank.");
}
