using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Basalt.Errors;
using Microsoft.AspNetCore.Http;

namespace Basalt.Api;

/// <summary>
/// The file parts of a multipart batch body, by the sub-request they belong to: a part named <c>requests.N.key</c> or
/// <c>requests[N].key</c> is a file of sub-request N sent under <c>key</c> (<c>docs</c>, <c>docs+</c>, <c>+docs</c>).
/// PocketBase drops a part that names no sub-request; Basalt refuses the batch instead, so a file is never lost
/// without the client hearing of it.
/// </summary>
internal sealed partial class BatchFileParts
{
    public const string UnknownRequestCode = "validation_unknown_request";
    public const string UnknownRequest = "The batch has no request with this index.";
    public const string MisnamedCode = "validation_invalid_file_part";
    public const string Misnamed = "File parts must be named requests.N.field or requests[N].field.";

    private readonly Dictionary<int, List<(string Key, IFormFile File)>> _byIndex = [];
    private readonly List<(string Index, string Key)> _outOfRange = [];
    private bool _misnamed;

    public static BatchFileParts None { get; } = new();

    /// <summary>Sorts the files of a form by the sub-request each names; what it cannot place waits for <see cref="EnsurePlaced"/>.</summary>
    public static BatchFileParts From(IFormFileCollection files)
    {
        var parts = new BatchFileParts();
        foreach (var file in files)
        {
            if (Address().Match(file.Name) is not { Success: true } match)
            {
                parts._misnamed = true;
                continue;
            }

            var indexText = match.Groups["index"].Value;
            var key = match.Groups["key"].Value;

            // Only the digits PocketBase itself would write (no sign, no leading zero), as it matches prefixes built with Itoa.
            if (CanonicalIndex().IsMatch(indexText) && int.TryParse(indexText, NumberStyles.None, CultureInfo.InvariantCulture, out var index))
            {
                if (!parts._byIndex.TryGetValue(index, out var list))
                {
                    parts._byIndex[index] = list = [];
                }

                list.Add((key, file));
            }
            else
            {
                parts._outOfRange.Add((indexText, key));
            }
        }

        return parts;
    }

    /// <summary>The files of sub-request <paramref name="index"/>, with the key each was sent under, in the order sent.</summary>
    public IReadOnlyList<(string Key, IFormFile File)> For(int index) => _byIndex.GetValueOrDefault(index) ?? [];

    /// <summary>
    /// 400 <see cref="BatchRequestParser.InvalidData"/> when a part names no sub-request of a batch of
    /// <paramref name="count"/>: <c>data.requests.N.key</c> for an index that is out of range or not a number, and
    /// <c>data.requests</c> for a part whose name is not <c>requests.N.key</c> at all.
    /// </summary>
    public void EnsurePlaced(int count)
    {
        var unplaced = _outOfRange.ToList();
        unplaced.AddRange(_byIndex.Where(p => p.Key >= count).SelectMany(p => p.Value.Select(f => (p.Key.ToString(CultureInfo.InvariantCulture), f.Key))));
        if (unplaced.Count == 0 && !_misnamed)
        {
            return;
        }

        // The first unplaced part only: part names are the client's text, and thousands of them would make a huge answer.
        JsonObject requests;
        if (unplaced.Count > 0)
        {
            var (index, key) = unplaced[0];
            requests = new JsonObject { [index] = new JsonObject { [key] = ValidationErrors.Leaf(UnknownRequestCode, UnknownRequest, null) } };
        }
        else
        {
            requests = ValidationErrors.Leaf(MisnamedCode, Misnamed, null);
        }

        throw ApiError.BadRequest(BatchRequestParser.InvalidData, new JsonObject { ["requests"] = requests });
    }

    [GeneratedRegex(@"^requests(?:\.(?<index>[^.]*)\.|\[(?<index>[^\]]*)\]\.)(?<key>.+)\z", RegexOptions.Singleline)]
    private static partial Regex Address();

    [GeneratedRegex(@"^(?:0|[1-9][0-9]{0,8})\z")]
    private static partial Regex CanonicalIndex();
}
