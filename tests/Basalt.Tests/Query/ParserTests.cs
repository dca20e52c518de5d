using Basalt.Query;
using Basalt.Query.Ast;

namespace Basalt.Tests.Query;

/// <summary>Tree shapes: precedence, grouping, functions, and the parse cache.</summary>
public sealed class ParserTests
{
    [Theory]
    [InlineData("a = 1 || b = 2 && c = 3", "(a = 1 OR (b = 2 AND c = 3))")]
    [InlineData("(a = 1 || b = 2) && c = 3", "((a = 1 OR b = 2) AND c = 3)")]
    [InlineData("a = 1 && b = 2 && c = 3", "((a = 1 AND b = 2) AND c = 3)")]
    [InlineData("a ?!~ 'x'", "a ?NotLike 'x'")]
    [InlineData("f(a, g(1),) > -2", "f(a, g(1)) Greater -2")]
    [InlineData("((a = b))", "a = b")]
    public void Parses(string text, string expected) => Assert.Equal(expected, Show(Parser.Parse(text)));

    [Theory]
    [InlineData("")]
    [InlineData("a")]
    [InlineData("a =")]
    [InlineData("a = b c = d")]
    [InlineData("(a = b")]
    [InlineData("a = b)")]
    [InlineData("f(g(h(1))) = 1")]
    [InlineData("f(1 2) = 1")]
    [InlineData("f(,) = 1")]
    [InlineData("a = 1 &&")]
    public void Rejects(string text) => Assert.Throws<FilterSyntaxException>(() => Parser.Parse(text));

    [Fact]
    public void Parse_cache_returns_the_same_tree_and_stays_bounded()
    {
        var cache = new FilterParseCache(capacity: 3);
        var first = cache.Get("a = 1");
        Assert.Same(first, cache.Get("a = 1"));
        for (var i = 0; i < 10; i++)
        {
            cache.Get($"a = {i}");
            Assert.True(cache.Count <= 3);
        }

        Assert.Throws<FilterSyntaxException>(() => cache.Get("a ="));
    }

    private static string Show(FilterNode node) => node switch
    {
        LogicalNode l => $"({Show(l.Left)} {(l.IsAnd ? "AND" : "OR")} {Show(l.Right)})",
        ComparisonNode c when c.Operator == ComparisonOperator.Equal && !c.AnyOf => $"{Show(c.Left)} = {Show(c.Right)}",
        ComparisonNode c => $"{Show(c.Left)} {(c.AnyOf ? "?" : "")}{c.Operator} {Show(c.Right)}",
        _ => throw new ArgumentOutOfRangeException(nameof(node)),
    };

    private static string Show(Operand operand) => operand switch
    {
        IdentifierOperand i => i.Name,
        TextOperand t => $"'{t.Value}'",
        NumberOperand n => n.Text,
        FunctionOperand f => $"{f.Name}({string.Join(", ", f.Arguments.Select(Show))})",
        _ => throw new ArgumentOutOfRangeException(nameof(operand)),
    };
}
