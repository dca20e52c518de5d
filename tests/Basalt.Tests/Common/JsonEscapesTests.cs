using System.Text;
using Basalt.Common;

namespace Basalt.Tests.Common;

public sealed class JsonEscapesTests
{
    [Theory]
    [InlineData("""{"a":"\ud800"}""", """{"a":"\uFFFD"}""")]
    [InlineData("""{"a":"\udfff\ud800x"}""", """{"a":"\uFFFD\uFFFDx"}""")]
    [InlineData("""{"a":"\ud83d\ude00"}""", """{"a":"\ud83d\ude00"}""")]
    [InlineData("""{"a":"\ud83d\ud83d\ude00"}""", """{"a":"\uFFFD\ud83d\ude00"}""")]
    [InlineData("""{"a":"\u0000"}""", """{"a":"\uFFFD"}""")]
    [InlineData("""{"a":"\\ud800"}""", """{"a":"\\ud800"}""")]
    [InlineData("""{"a":"\\\ud800"}""", """{"a":"\\\uFFFD"}""")]
    [InlineData("""{"a":"\u00e9\n"}""", """{"a":"\u00e9\n"}""")]
    [InlineData("""{"a":"\ud8""", """{"a":"\ud8""")]
    [InlineData("""\""", """\""")]
    public void Rewrites_only_the_escapes_no_store_can_keep(string json, string expected)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        JsonEscapes.Sanitize(bytes);
        Assert.Equal(expected, Encoding.UTF8.GetString(bytes));
        Assert.Equal(expected, JsonEscapes.Sanitize(json));
    }

    // a [Fact]: attribute data cannot carry a lone surrogate through test discovery
    [Fact]
    public void Cleans_text_of_nul_and_lone_surrogates()
    {
        Assert.Same("plain", JsonEscapes.Clean("plain"));
        Assert.Equal("a\uFFFDb", JsonEscapes.Clean("a\0b"));
        Assert.Equal("\uFFFDx", JsonEscapes.Clean("\ud800x"));
        Assert.Equal("x\uFFFD", JsonEscapes.Clean("x\udc00"));
        Assert.Equal("\ud83d\ude00\uFFFD", JsonEscapes.Clean("\ud83d\ude00\ud800"));
    }
}
