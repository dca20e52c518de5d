using System.Text.RegularExpressions;
using Basalt.Common;
using Basalt.Query.Ast;

namespace Basalt.Query;

/// <summary>The functions of the filter language: <c>geoDistance</c> and <c>strftime</c>.</summary>
internal sealed partial class Resolver
{
    // Only what both databases compute alike; SQLite's other modifiers (localtime, unixepoch, weekday N…) have no PostgreSQL twin here.
    private static readonly Regex StrftimeModifier = new(
        @"^([+-]?[0-9]{1,6}(\.[0-9]+)? (day|hour|minute|second|month|year)s?|start of (day|month|year))$", RegexOptions.CultureInvariant);

    private static readonly Regex StrftimeFormat = new(@"^([^%]|%[dfHjmMsSwY%])*$", RegexOptions.CultureInvariant);

    private static readonly Regex DateText = new(
        @"^[0-9]{4}-[0-9]{2}-[0-9]{2}([ T][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?)?(Z|[+-][0-9]{2}:[0-9]{2})?$", RegexOptions.CultureInvariant);

    private ResolvedOperand ResolveFunction(FunctionOperand function, JoinScope scope) => function.Name switch
    {
        "geoDistance" => GeoDistance(function, scope),
        "strftime" => Strftime(function, scope),
        _ => throw new FilterSyntaxException($"unknown function {function.Name}"),
    };

    private ResolvedOperand GeoDistance(FunctionOperand function, JoinScope scope)
    {
        if (function.Arguments.Count != 4)
        {
            throw new FilterSyntaxException("geoDistance takes 4 arguments: lonA, latA, lonB, latB");
        }

        var args = function.Arguments.Select(a =>
        {
            if (a is TextOperand)
            {
                throw new FilterSyntaxException("geoDistance arguments are numbers or fields");
            }

            var resolved = Resolve(a, scope);
            if (resolved.IsStatic ? resolved.Value is not double : resolved.Kind is not (ValueKind.Number or ValueKind.Json))
            {
                throw new FilterSyntaxException("geoDistance arguments must be numbers");
            }

            return resolved;
        }).ToArray();
        return new ResolvedOperand
        {
            Kind = ValueKind.Number,
            NoCoalesce = true,
            Nullable = true,
            IsMulti = args.Any(a => a.IsMulti),
            Guard = CombineGuards(args),
            Sql = s => s.Dialect.AppendGeoDistance(
                s,
                x => ComparisonWriter.AppendValue(x, args[0], Domain.Number),
                x => ComparisonWriter.AppendValue(x, args[1], Domain.Number),
                x => ComparisonWriter.AppendValue(x, args[2], Domain.Number),
                x => ComparisonWriter.AppendValue(x, args[3], Domain.Number)),
        };
    }

    private ResolvedOperand Strftime(FunctionOperand function, JoinScope scope)
    {
        var args = function.Arguments;
        if (args.Count is < 1 or > 10 || args[0] is not TextOperand format || !StrftimeFormat.IsMatch(format.Value))
        {
            throw new FilterSyntaxException("strftime needs a text format using %d %f %H %j %m %M %s %S %w %Y %%, then a time and modifiers");
        }

        var time = args.Count > 1 ? Resolve(args[1], scope) : ResolvedOperand.Static("now");
        if (time.IsStatic)
        {
            var text = time.StaticText;
            if (string.Equals(text, "now", StringComparison.OrdinalIgnoreCase))
            {
                time = ResolvedOperand.Static(DateFormat.Format(_now));
            }
            else if (text is null || !DateText.IsMatch(text))
            {
                // SQLite yields NULL (normalised to '') for an unreadable time; decide it here so PostgreSQL never casts it.
                return ResolvedOperand.Static("");
            }
        }
        else if (time.Kind != ValueKind.Text)
        {
            throw new FilterSyntaxException("strftime reads a date text field");
        }

        var modifiers = new List<string>();
        foreach (var arg in args.Skip(2))
        {
            if (arg is not TextOperand modifier || !StrftimeModifier.IsMatch(modifier.Value))
            {
                throw new FilterSyntaxException("strftime modifiers are '±N day|hour|minute|second|month|year' or 'start of day|month|year'");
            }

            modifiers.Add(modifier.Value);
        }

        var resolvedTime = time;
        return new ResolvedOperand
        {
            Kind = ValueKind.Text,
            IsMulti = time.IsMulti,
            Guard = time.Guard,
            Sql = s =>
            {
                s.Append("COALESCE(");
                s.Dialect.AppendStrftime(s, format.Value, x => ComparisonWriter.AppendValue(x, resolvedTime, Domain.Text), modifiers);
                s.Append(", '')");
            },
        };
    }

    private static Action<Storage.SqlBuilder>? CombineGuards(IEnumerable<ResolvedOperand> operands)
    {
        var guards = operands.Select(o => o.Guard).OfType<Action<Storage.SqlBuilder>>().ToList();
        return guards.Count == 0 ? null : s =>
        {
            for (var i = 0; i < guards.Count; i++)
            {
                s.Append(i == 0 ? "" : " AND ");
                guards[i](s);
            }
        };
    }
}
