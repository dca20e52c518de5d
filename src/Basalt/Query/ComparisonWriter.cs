using System.Text;
using Basalt.Query.Ast;
using Basalt.Storage;

namespace Basalt.Query;

/// <summary>
/// Writes one comparison of two resolved operands with PocketBase's semantics: <c>= ""</c> and <c>= null</c> match
/// '' or NULL, field-to-field equality is COALESCE-normalised (not for JSON or geoDistance), <c>~</c> wraps its literal
/// in <c>%..%</c>. Both sides are first brought to one <see cref="Domain"/> so that PostgreSQL, which will not compare
/// a number with text, answers as SQLite does.
/// </summary>
internal static class ComparisonWriter
{
    public static void Append(SqlBuilder sql, ComparisonOperator op, ResolvedOperand left, ResolvedOperand right)
    {
        var guarded = left.Guard is not null || right.Guard is not null;
        if (guarded)
        {
            sql.Append('(');
        }

        switch (op)
        {
            case ComparisonOperator.Equal or ComparisonOperator.NotEqual:
                AppendEquality(sql, op == ComparisonOperator.Equal, left, right);
                break;
            case ComparisonOperator.Like or ComparisonOperator.NotLike:
                AppendLike(sql, op == ComparisonOperator.NotLike, left, right);
                break;
            default:
                var domain = ChooseDomain(left, right);
                AppendValue(sql, left, domain);
                sql.Append(op switch
                {
                    ComparisonOperator.Greater => " > ",
                    ComparisonOperator.GreaterOrEqual => " >= ",
                    ComparisonOperator.Less => " < ",
                    _ => " <= ",
                });
                AppendValue(sql, right, domain);
                break;
        }

        if (guarded)
        {
            foreach (var guard in new[] { left.Guard, right.Guard })
            {
                if (guard is not null)
                {
                    sql.Append(" AND ");
                    guard(sql);
                }
            }

            sql.Append(')');
        }
    }

    private static void AppendEquality(SqlBuilder sql, bool equal, ResolvedOperand left, ResolvedOperand right)
    {
        var dialect = sql.Dialect;
        var nullSafe = " " + (equal ? dialect.NullSafeEqual : dialect.NullSafeNotEqual) + " ";
        if (left.IsEmptyValue && right.IsEmptyValue)
        {
            sql.Append(equal ? "'' = ''" : "'' != ''");
            return;
        }

        if (left.NoCoalesce || right.NoCoalesce)
        {
            if (left.IsEmptyValue || right.IsEmptyValue)
            {
                var (value, empty) = left.IsEmptyValue ? (right, left) : (left, right);
                if (empty.Value is null)
                {
                    AppendValue(sql, value, value.Kind == ValueKind.Json ? Domain.AnyText : KindDomain(value.Kind));
                    sql.Append(equal ? " IS NULL" : " IS NOT NULL");
                }
                else
                {
                    AppendValue(sql, value, Domain.Text);
                    sql.Append(nullSafe).Append("''");
                }

                return;
            }

            var jsonDomain = ChooseDomain(left, right);
            AppendValue(sql, left, jsonDomain);
            sql.Append(nullSafe);
            AppendValue(sql, right, jsonDomain);
            return;
        }

        if (left.IsKnownNonEmpty || right.IsKnownNonEmpty)
        {
            var plain = ChooseDomain(left, right);
            AppendValue(sql, left, plain);
            sql.Append(equal ? " = " : " " + dialect.NullSafeNotEqual + " ");
            AppendValue(sql, right, plain);
            return;
        }

        if (left.IsEmptyValue || right.IsEmptyValue)
        {
            var value = left.IsEmptyValue ? right : left;
            var domain = KindDomain(value.Kind);
            if (domain != Domain.Text)
            {
                AppendValue(sql, value, domain);
                sql.Append(equal ? " IS NULL" : " IS NOT NULL");
                return;
            }

            sql.Append('(');
            AppendValue(sql, value, domain);
            sql.Append(equal ? " = '' OR " : " != '' AND ");
            AppendValue(sql, value, domain);
            sql.Append(equal ? " IS NULL)" : " IS NOT NULL)");
            return;
        }

        var both = ChooseDomain(left, right);
        if (both != Domain.Text)
        {
            AppendValue(sql, left, both);
            sql.Append(nullSafe);
            AppendValue(sql, right, both);
            return;
        }

        sql.Append("COALESCE(");
        AppendValue(sql, left, both);
        sql.Append(", '')").Append(equal ? " = " : " " + dialect.NullSafeNotEqual + " ").Append("COALESCE(");
        AppendValue(sql, right, both);
        sql.Append(", '')");
    }

    private static void AppendLike(SqlBuilder sql, bool negate, ResolvedOperand left, ResolvedOperand right)
    {
        AppendValue(sql, left, Domain.AnyText);
        sql.Append(' ').Append(negate ? sql.Dialect.NotLikeOperator : sql.Dialect.LikeOperator).Append(' ');
        if (right.IsStatic)
        {
            var text = right.StaticText;
            if (text is null)
            {
                sql.Append("NULL");
            }
            else
            {
                sql.AppendParameter(LikePattern(text));
            }
        }
        else
        {
            sql.Append("('%' || ");
            AppendValue(sql, right, Domain.AnyText);
            sql.Append(" || '%')");
        }

        sql.Append(" ESCAPE '\\'");
    }

    /// <summary>A literal with no unescaped <c>%</c> gets its <c>\ % _</c> escaped and is wrapped in <c>%..%</c>; one with a <c>%</c> is the user's own pattern.</summary>
    internal static string LikePattern(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\\')
            {
                i++;
            }
            else if (text[i] == '%')
            {
                return text;
            }
        }

        var sb = new StringBuilder("%");
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\\' && i + 1 < text.Length && text[i + 1] is '\\' or '%' or '_')
            {
                sb.Append(c).Append(text[++i]);
            }
            else if (c is '\\' or '%' or '_')
            {
                sb.Append('\\').Append(c);
            }
            else
            {
                sb.Append(c);
            }
        }

        return sb.Append('%').ToString();
    }

    /// <summary>Writes an operand converted to <paramref name="domain"/>; static values become parameters, NULL the keyword.</summary>
    public static void AppendValue(SqlBuilder sql, ResolvedOperand operand, Domain domain)
    {
        if (operand.IsStatic)
        {
            if (operand.Value is null)
            {
                sql.Append("NULL");
                return;
            }

            switch (domain)
            {
                case Domain.Number:
                    sql.AppendParameter(operand.StaticNumber ?? throw new FilterSyntaxException("not a number"));
                    break;
                case Domain.Bool:
                    sql.AppendParameter(operand.Value is bool b ? b : operand.StaticNumber is not (null or 0));
                    break;
                default:
                    sql.AppendParameter(operand.StaticText);
                    break;
            }

            return;
        }

        if (operand.Kind == ValueKind.Json)
        {
            var kind = domain switch
            {
                Domain.Text => JsonExtractKind.Text,
                Domain.Number or Domain.Bool => JsonExtractKind.Number,
                Domain.JsonValue => JsonExtractKind.Value,
                _ => JsonExtractKind.AnyAsText,
            };
            sql.Dialect.AppendJsonExtract(sql, operand.JsonDocument!, operand.JsonPath, kind);
            return;
        }

        var write = operand.Sql ?? throw new FilterSyntaxException("operand has no value");
        switch (operand.Kind, domain)
        {
            case (ValueKind.Number, Domain.Text or Domain.AnyText):
                sql.Append("CAST(");
                write(sql);
                sql.Append(" AS TEXT)");
                break;
            case (ValueKind.Bool, Domain.Number or Domain.JsonValue):
                sql.Dialect.AppendBoolAsInteger(sql, write);
                break;
            case (ValueKind.Bool, Domain.Text or Domain.AnyText):
                sql.Append("CAST(");
                sql.Dialect.AppendBoolAsInteger(sql, write);
                sql.Append(" AS TEXT)");
                break;
            default:
                write(sql);
                break;
        }
    }

    private static Domain KindDomain(ValueKind kind) => kind switch
    {
        ValueKind.Number => Domain.Number,
        ValueKind.Bool => Domain.Bool,
        ValueKind.Json => Domain.AnyText,
        _ => Domain.Text,
    };

    /// <summary>
    /// The domain SQLite's affinity rules effectively compare in: numbers with numbers (numeric text included),
    /// bools with bools or 0/1, JSON by the other side's type; anything mismatched as text.
    /// </summary>
    internal static Domain ChooseDomain(ResolvedOperand left, ResolvedOperand right)
    {
        if (left.Kind == ValueKind.Json || right.Kind == ValueKind.Json)
        {
            var other = left.Kind == ValueKind.Json ? right : left;
            return other switch
            {
                { Kind: ValueKind.Json } => Domain.JsonValue,
                { IsStatic: true, Value: string } => Domain.Text,
                { IsStatic: true, Value: null } => Domain.AnyText,
                { IsStatic: true } => Domain.Number,
                { Kind: ValueKind.Number or ValueKind.Bool } => Domain.Number,
                _ => Domain.Text,
            };
        }

        if (left.IsStatic && right.IsStatic)
        {
            return left.Kind == right.Kind || right.Kind == ValueKind.Null ? KindDomain(left.Kind)
                : left.Kind == ValueKind.Null ? KindDomain(right.Kind)
                : Domain.Text;
        }

        if (left.IsStatic || right.IsStatic)
        {
            var (value, column) = left.IsStatic ? (left, right) : (right, left);
            if (value.Value is null)
            {
                return KindDomain(column.Kind);
            }

            var number = value.StaticNumber;
            return column.Kind switch
            {
                ValueKind.Number => number is null ? Domain.Text : Domain.Number,
                ValueKind.Bool when value.Value is bool || number is 0 or 1 => Domain.Bool,
                ValueKind.Bool => number is null ? Domain.Text : Domain.Number,
                _ => Domain.Text,
            };
        }

        return (left.Kind, right.Kind) switch
        {
            (ValueKind.Number, ValueKind.Number) => Domain.Number,
            (ValueKind.Bool, ValueKind.Bool) => Domain.Bool,
            (ValueKind.Number, ValueKind.Bool) or (ValueKind.Bool, ValueKind.Number) => Domain.Number,
            _ => Domain.Text,
        };
    }
}
