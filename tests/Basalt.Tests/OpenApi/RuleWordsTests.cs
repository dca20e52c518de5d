using Basalt.OpenApi;

namespace Basalt.Tests.OpenApi;

/// <summary>Rules in plain words, as the OpenAPI descriptions show them.</summary>
public sealed class RuleWordsTests
{
    [Theory]
    [InlineData(null, "list", "**Superusers only**")]
    [InlineData("", "list", "**Anyone**, guests included")]
    [InlineData("@request.auth.id != ''", "create", "Allowed when the caller is signed in. A record that would not meet it is refused with 400.")]
    [InlineData("@request.auth.id = \"\"", "view", "Allowed when the caller is a guest.")]
    [InlineData("owner = @request.auth.id", "update", "Allowed when the record's `owner` equals the caller's id. A record that does not meet it answers 404.")]
    [InlineData("a = 1 && (b > 2 || c ~ 'x')", "list", "Allowed when the record's `a` equals 1 and (the record's `b` is greater than 2 or the record's `c` contains \"x\").")]
    [InlineData("tags ?= 'x' || @request.body.role:isset = false", "create", "any of the record's `tags` equals \"x\" or the submitted `role:isset` equals false")]
    [InlineData("@collection.members.user ?= @request.auth.id", "view", "any of `user` of a record of `members` equals the caller's id")]
    [InlineData("@request.auth.verified = true", "auth", "the caller's `verified` equals true. A record that does not meet it cannot sign in (403).")]
    [InlineData("title = ", "list", "Allowed when the rule holds.")]
    public void Rules_read_as_words_with_what_happens_otherwise(string? rule, string action, string expected)
    {
        var words = RuleWords.Describe(rule, action);

        Assert.Contains(expected, words, StringComparison.Ordinal);
        if (!string.IsNullOrEmpty(rule))
        {
            Assert.EndsWith("Rule: `" + rule + "`", words, StringComparison.Ordinal);
        }
    }
}
