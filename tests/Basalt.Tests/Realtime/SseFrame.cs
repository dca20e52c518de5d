using System.Text.RegularExpressions;

namespace Basalt.Tests.Realtime;

/// <summary>One SSE frame: its raw text and its three lines.</summary>
internal sealed partial record SseFrame(string Raw, string Id, string Event, string Data)
{
    public static SseFrame Parse(string raw)
    {
        var match = FrameFormat().Match(raw);
        if (!match.Success)
        {
            throw new FormatException("not an id/event/data frame: " + raw);
        }

        return new SseFrame(raw, match.Groups[1].Value, match.Groups[2].Value, match.Groups[3].Value);
    }

    [GeneratedRegex("^id:([^\n]*)\nevent:([^\n]*)\ndata:([^\n]*)\n\n$")]
    private static partial Regex FrameFormat();
}
