using Basalt.Query;

namespace Basalt.Tests.Query;

/// <summary>Tokens and their positions.</summary>
public sealed class LexerTests
{
    [Theory]
    [InlineData("a.b:each ?!= 'x'", "Identifier:a.b:each Sign:?!= Text:x End:")]
    [InlineData("@request.auth.id=\"\"", "Identifier:@request.auth.id Sign:= Text: End:")]
    [InlineData("f(1,-2.5,) || (x>=y)", "Function:f Number:1 Comma:, Number:-2.5 Comma:, CloseParen:) Or:|| OpenParen:( Identifier:x Sign:>= Identifier:y CloseParen:) End:")]
    [InlineData("a ?~ \"q\\\"r\" // note\n&& b !~ c", "Identifier:a Sign:?~ Text:q\"r And:&& Identifier:b Sign:!~ Identifier:c End:")]
    [InlineData("a ?> 1 && b ?< 2 && c ?>= 3 && d ?<= 4 && e != 5", "Identifier:a Sign:?> Number:1 And:&& Identifier:b Sign:?< Number:2 And:&& Identifier:c Sign:?>= Number:3 And:&& Identifier:d Sign:?<= Number:4 And:&& Identifier:e Sign:!= Number:5 End:")]
    [InlineData("x = 'a\\\\' && y = 'b\\%'", "Identifier:x Sign:= Text:a\\\\ And:&& Identifier:y Sign:= Text:b\\% End:")]
    public void Tokenizes(string text, string expected)
    {
        var tokens = Lexer.Tokenize(text);
        Assert.Equal(expected, string.Join(' ', tokens.Select(t => $"{t.Kind}:{t.Text}")));
    }

    [Fact]
    public void Tokens_keep_their_offsets()
    {
        var tokens = Lexer.Tokenize("ab  >= 'c'");
        Assert.Equal([0, 4, 7, 10], tokens.Select(t => t.Position));
    }

    [Theory]
    [InlineData("a = 'x")]
    [InlineData("a = 1.")]
    [InlineData("a = 12ab")]
    [InlineData("a ! b")]
    [InlineData("a & b")]
    [InlineData("a = $1")]
    [InlineData("a = ;")]
    public void Rejects(string text) => Assert.Throws<FilterSyntaxException>(() => Lexer.Tokenize(text));
}
