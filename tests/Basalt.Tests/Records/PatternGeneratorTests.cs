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

    [Fact]
    public void Every_character_of_a_class_is_equally_likely()
    {
        // 300,000 characters over 36: 8,333 each, one standard deviation about 90. Taking a random byte modulo 36
        // without dropping the top of the range would give the first four characters 14 % more (about 13 deviations);
        // the bound of 5 % is about 4.6 deviations, so chance alone almost never crosses it.
        var counts = new Dictionary<char, int>();
        for (var i = 0; i < 20_000; i++)
        {
            foreach (var c in PatternGenerator.Generate("[a-z0-9]{15}"))
            {
                counts[c] = counts.GetValueOrDefault(c) + 1;
            }
        }

        Assert.Equal(36, counts.Count);
        var expected = 300_000 / 36.0;
        Assert.All(counts, pair => Assert.InRange(pair.Value, expected * 0.95, expected * 1.05));
    }
}
