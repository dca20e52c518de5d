using System.Text;
using System.Text.RegularExpressions;
using MimeKit;

namespace Basalt.Tests.Fixtures;

/// <summary>One message as the test SMTP server received it: envelope sender, recipients and the raw DATA.</summary>
public sealed partial record SmtpTestMessage(string From, IReadOnlyList<string> Recipients, string Data)
{
    public MimeMessage Parse() => MimeMessage.Load(new MemoryStream(Encoding.UTF8.GetBytes(Data)));

    /// <summary>The token at the end of the first <c>/_/#/auth/{action}/{TOKEN}</c> link of the HTML body.</summary>
    public string LinkToken(string action)
    {
        var html = Parse().HtmlBody ?? "";
        var match = LinkPattern().Matches(html).FirstOrDefault(m => m.Groups[1].Value == action)
            ?? throw new InvalidOperationException($"no {action} link in: {html}");
        return match.Groups[2].Value;
    }

    [GeneratedRegex(@"/_/#/auth/([a-z-]+)/([A-Za-z0-9_\-.]+)")]
    private static partial Regex LinkPattern();
}
