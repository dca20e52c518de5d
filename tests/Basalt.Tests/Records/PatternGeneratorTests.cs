using System.Text.RegularExpressions;
using Basalt.Records.Fields;

namespace Basalt.Tests.Records;

public sealed class PatternGeneratorTests
{
    [Theory]
    [InlineData("[a-z0-9]{15}", "^[a-z0-9]{15}$")]
    [InlineData("[a-zA-Z0-9]{50}", "^[a-zA-Z0-9]{50}$")]
    [InlineData("^post-[A-Z]{3,5}$", "^post-[A-Z]{3,5}$")]
    [InlineData(@"\d{4}-x", @"^\d{4}-x$")]
    [InlineData("ab[_.]", @"^ab[_.]$")]
    public void Generates_a_match_of_the_pattern(string pattern, string check)
    {
        for (var i = 0; i < 20; i++)
        {
            Assert.Matches(new Regex(check), PatternGenerator.Generate(pattern));
        }
    }

    [Theory]
    [InlineData("(a|b)")]
    [InlineData("a*")]
    [InlineData("[^a]")]
    [InlineData("[a-z")]
    [InlineData("a{99999}")]
    public void Rejects_unsupported_constructs(string pattern) =>
        Assert.Throws<FormatException>(() => PatternGenerator.Generate(pattern));

    [Fact]
    public void Ids_are_random() =>
        Assert.NotEqual(PatternGenerator.Generate("[a-z0-9]{15}"), PatternGenerator.Generate("[a-z0-9]{15}"));
}
