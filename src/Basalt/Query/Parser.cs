using System.Globalization;
using Basalt.Query.Ast;

namespace Basalt.Query;

/// <summary>
/// Builds a <see cref="FilterNode"/> tree from tokens. <c>&amp;&amp;</c> binds tighter than <c>||</c> (as in SQL);
/// parentheses group, at most <see cref="QueryLimits.MaxGroupNesting"/> deep; at most <see cref="QueryLimits.MaxExpressions"/> comparisons and
/// <see cref="QueryLimits.MaxFunctionNesting"/> levels of nested function calls.
/// </summary>
internal sealed class Parser
{
    private readonly List<Token> _tokens;
    private int _index;
    private int _comparisons;
    private int _groups;

    private Parser(List<Token> tokens)
    {
        _tokens = tokens;
    }

    public static FilterNode Parse(string text)
    {
        var parser = new Parser(Lexer.Tokenize(text));
        var node = parser.ParseOr();
        var end = parser.Peek;
        if (end.Kind != TokenKind.End)
        {
            throw new FilterSyntaxException($"unexpected '{end.Text}' at {end.Position}", end.Position);
        }

        return node;
    }

    private Token Peek => _tokens[_index];

    private Token Next() => _tokens[_index++];

    private FilterNode ParseOr()
    {
        var left = ParseAnd();
        while (Peek.Kind == TokenKind.Or)
        {
            Next();
            left = new LogicalNode(left, false, ParseAnd());
        }

        return left;
    }

    private FilterNode ParseAnd()
    {
        var left = ParsePrimary();
        while (Peek.Kind == TokenKind.And)
        {
            Next();
            left = new LogicalNode(left, true, ParsePrimary());
        }

        return left;
    }

    private FilterNode ParsePrimary()
    {
        if (Peek.Kind == TokenKind.OpenParen)
        {
            var open = Next();
            if (Peek.Kind == TokenKind.CloseParen)
            {
                throw new FilterSyntaxException($"empty group at {open.Position}", open.Position);
            }

            if (++_groups > QueryLimits.MaxGroupNesting)
            {
                throw new FilterSyntaxException($"groups nested deeper than {QueryLimits.MaxGroupNesting} at {open.Position}", open.Position);
            }

            var inner = ParseOr();
            Expect(TokenKind.CloseParen, "')'");
            _groups--;
            return inner;
        }

        var left = ParseOperand(0);
        var sign = Next();
        if (sign.Kind != TokenKind.Sign)
        {
            throw new FilterSyntaxException($"expected an operator at {sign.Position}", sign.Position);
        }

        var right = ParseOperand(0);
        if (++_comparisons > QueryLimits.MaxExpressions)
        {
            throw new FilterSyntaxException($"more than {QueryLimits.MaxExpressions} expressions");
        }

        var anyOf = sign.Text[0] == '?';
        var op = (anyOf ? sign.Text[1..] : sign.Text) switch
        {
            "=" => ComparisonOperator.Equal,
            "!=" => ComparisonOperator.NotEqual,
            ">" => ComparisonOperator.Greater,
            ">=" => ComparisonOperator.GreaterOrEqual,
            "<" => ComparisonOperator.Less,
            "<=" => ComparisonOperator.LessOrEqual,
            "~" => ComparisonOperator.Like,
            _ => ComparisonOperator.NotLike,
        };
        return new ComparisonNode(left, op, anyOf, right);
    }

    private Operand ParseOperand(int depth)
    {
        var token = Next();
        switch (token.Kind)
        {
            case TokenKind.Identifier:
                return new IdentifierOperand(token.Text, token.Position);
            case TokenKind.Text:
                return new TextOperand(token.Text, token.Position);
            case TokenKind.Number:
                if (!double.TryParse(token.Text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number)
                    || !double.IsFinite(number))
                {
                    throw new FilterSyntaxException($"invalid number at {token.Position}", token.Position);
                }

                return new NumberOperand(number, token.Text, token.Position);
            case TokenKind.Function:
                return ParseFunction(token, depth + 1);
            default:
                throw new FilterSyntaxException(
                    token.Kind == TokenKind.End ? "unexpected end of expression" : $"expected an operand at {token.Position}",
                    token.Position);
        }
    }

    private FunctionOperand ParseFunction(Token name, int depth)
    {
        if (depth > QueryLimits.MaxFunctionNesting)
        {
            throw new FilterSyntaxException($"functions nested deeper than {QueryLimits.MaxFunctionNesting} at {name.Position}", name.Position);
        }

        var args = new List<Operand>();
        while (Peek.Kind != TokenKind.CloseParen)
        {
            args.Add(ParseOperand(depth));
            if (Peek.Kind == TokenKind.Comma)
            {
                Next();
            }
            else if (Peek.Kind != TokenKind.CloseParen)
            {
                throw new FilterSyntaxException($"expected ',' or ')' at {Peek.Position}", Peek.Position);
            }
        }

        Next();
        return new FunctionOperand(name.Text, args, name.Position);
    }

    private void Expect(TokenKind kind, string what)
    {
        var token = Next();
        if (token.Kind != kind)
        {
            throw new FilterSyntaxException($"expected {what} at {token.Position}", token.Position);
        }
    }
}
