using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Basalt.Client.Files;

/// <summary>
/// A multipart body as the JS SDK sends one: the JSON values in one <c>@jsonPayload</c> part (so types survive, where
/// form values would be guessed), and each file as a part named after its field.
/// </summary>
internal static class MultipartBody
{
    public static MultipartFormDataContent Create(JsonNode? json, IEnumerable<(string Name, FileUpload File)> files)
    {
        var content = new MultipartFormDataContent();
        if (json is not null)
        {
            content.Add(new StringContent(json.ToJsonString(), Encoding.UTF8, "application/json"), "@jsonPayload");
        }

        foreach (var (name, file) in files)
        {
            var part = new StreamContent(file.Content);
            part.Headers.ContentType = MediaTypeHeaderValue.Parse(file.ContentType);
            content.Add(part, name, file.FileName);
        }

        return content;
    }
}
