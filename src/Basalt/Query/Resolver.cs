using Basalt.Model;
using Basalt.Query.Ast;
using Basalt.Storage;

namespace Basalt.Query;

/// <summary>
/// Resolves operands against the collection schema: field paths through relations and back-relations (as joins in a
/// <see cref="JoinScope"/>), JSON paths, modifiers, <c>@request.*</c>, <c>@collection.*</c>, macros and functions.
/// It never writes SQL text itself; it returns <see cref="ResolvedOperand"/>s whose writers run when the compiler emits.
/// </summary>
internal sealed partial class Resolver
{
    private readonly FilterContext _context;
    private readonly RecordQueryCompiler _compiler;
    private readonly DateTimeOffset _now;

    public Resolver(FilterContext context, RecordQueryCompiler compiler, DateTimeOffset now)
    {
        _context = context;
        _compiler = compiler;
        _now = now;
    }

    /// <summary>A client filter or sort of a non-superuser: hidden fields, <c>@request</c>/<c>@collection</c> and rule-less hops are refused.</summary>
    public bool Restricted => !_context.IsRule && !_context.Request.IsSuperuser;

    public ResolvedOperand Resolve(Operand operand, JoinScope scope, bool forSort = false) => operand switch
    {
        TextOperand t => ResolvedOperand.Static(t.Value),
        NumberOperand n => ResolvedOperand.Static(n.Value, n.Text),
        FunctionOperand f => ResolveFunction(f, scope),
        IdentifierOperand i => ResolveAt(i, scope, forSort),
        _ => throw new FilterSyntaxException("unknown operand"),
    };

    /// <summary>Gives an error about an identifier (an unknown field, a hidden one) the identifier's position.</summary>
    private ResolvedOperand ResolveAt(IdentifierOperand identifier, JoinScope scope, bool forSort)
    {
        try
        {
            return ResolveIdentifier(identifier.Name, scope, forSort);
        }
        catch (FilterSyntaxException e) when (e.Position is null)
        {
            throw new FilterSyntaxException(e.Message, identifier.Position, e);
        }
    }

    public ResolvedOperand ResolveIdentifier(string name, JoinScope scope, bool forSort)
    {
        switch (name.ToLowerInvariant())
        {
            case "null":
                return ResolvedOperand.Static(null);
            case "true":
                return ResolvedOperand.Static(true);
            case "false":
                return ResolvedOperand.Static(false);
        }

        if (name.StartsWith('@'))
        {
            if (name.StartsWith("@request.", StringComparison.Ordinal))
            {
                RequireUnrestricted("@request.");
                return ResolveRequest(name["@request.".Length..], scope);
            }

            if (name.StartsWith("@collection.", StringComparison.Ordinal))
            {
                RequireUnrestricted("@collection.");
                return ResolveCollection(name["@collection.".Length..], scope, forSort);
            }

            return DateMacros.Resolve(name, _now) ?? throw new FilterSyntaxException($"unknown identifier {name}");
        }

        return ResolvePath(_context.Collection, _context.Alias, Segments(name), 0, scope, "", 0, false, forSort);
    }

    private void RequireUnrestricted(string prefix)
    {
        if (Restricted)
        {
            throw QueryErrors.Forbidden(prefix);
        }
    }

    private static string[] Segments(string path)
    {
        var segments = path.Split('.');
        if (segments.Any(s => s.Length == 0))
        {
            throw new FilterSyntaxException($"invalid field path {path}");
        }

        return segments;
    }

    private static (string Name, string? Modifier) SplitModifier(string segment)
    {
        var colon = segment.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            return (segment, null);
        }

        var modifier = segment[(colon + 1)..];
        if (colon == 0 || modifier.Length == 0 || modifier.Contains(':', StringComparison.Ordinal))
        {
            throw new FilterSyntaxException($"invalid modifier in {segment}");
        }

        return (segment[..colon], modifier);
    }

    private Collection FindCollection(string idOrName) =>
        _context.Collections.Find(idOrName) ?? throw new FilterSyntaxException($"unknown collection {idOrName}");

    /// <summary>Resolves <paramref name="segments"/> from index <paramref name="index"/> against <paramref name="collection"/> read as <paramref name="alias"/>.</summary>
    private ResolvedOperand ResolvePath(
        Collection collection, string alias, string[] segments, int index, JoinScope scope, string key, int depth, bool multi, bool forSort)
    {
        var (name, modifier) = SplitModifier(segments[index]);
        var last = index == segments.Length - 1;
        var pathKey = key + "." + name;
        if (name.Contains("_via_", StringComparison.Ordinal))
        {
            if (modifier is not null)
            {
                throw new FilterSyntaxException($"modifiers are not supported on back-relation {name}");
            }

            var target = BackRelation(collection, alias, name, scope, pathKey, depth);
            return last
                ? ResolveLastField(target.Collection, target.Alias, IdField(target.Collection), null, scope, pathKey, true, forSort, true)
                : ResolvePath(target.Collection, target.Alias, segments, index + 1, scope, pathKey, depth + 1, true, forSort);
        }

        var field = collection.FindField(name) ?? throw new FilterSyntaxException($"unknown field {name}");
        CheckHidden(field);
        var nullable = !string.Equals(alias, _context.Alias, StringComparison.Ordinal);
        if (last)
        {
            return ResolveLastField(collection, alias, field, modifier, scope, pathKey, multi, forSort, nullable);
        }

        if (modifier is not null)
        {
            throw new FilterSyntaxException($"modifier :{modifier} must end the path");
        }

        if (field.Type is FieldType.Json or FieldType.GeoPoint)
        {
            return JsonPath(alias, field, segments, index + 1, multi);
        }

        if (field.Type != FieldType.Relation)
        {
            throw new FilterSyntaxException($"{name} is not a relation or json field");
        }

        if (depth + 1 > QueryLimits.MaxRelationDepth)
        {
            throw new FilterSyntaxException($"more than {QueryLimits.MaxRelationDepth} nested relations");
        }

        var related = FindCollection(field.CollectionId ?? "");
        var rule = HopRule(related);
        string targetAlias;
        if (field.IsMultiple)
        {
            var items = ItemsJoin(scope, alias, field, pathKey + "[]");
            targetAlias = scope.GetOrAdd(pathKey, a => (
                s => s.AppendIdentifier(related.Name).Append(" AS ").AppendIdentifier(a),
                s =>
                {
                    s.AppendColumn(a, "id").Append(" = ").AppendColumn(items, "value");
                    AppendRule(s, related, a, rule);
                }
            ));
            multi = true;
        }
        else
        {
            targetAlias = scope.GetOrAdd(pathKey, a => (
                s => s.AppendIdentifier(related.Name).Append(" AS ").AppendIdentifier(a),
                s =>
                {
                    s.AppendColumn(a, "id").Append(" = ").AppendColumn(alias, field.Name);
                    AppendRule(s, related, a, rule);
                }
            ));
        }

        return ResolvePath(related, targetAlias, segments, index + 1, scope, pathKey, depth + 1, multi, forSort);
    }

    private (Collection Collection, string Alias) BackRelation(
        Collection collection, string alias, string name, JoinScope scope, string pathKey, int depth)
    {
        var parts = name.Split("_via_");
        if (parts.Length != 2 || parts[0].Length == 0 || parts[1].Length == 0)
        {
            throw new FilterSyntaxException($"invalid back-relation {name}");
        }

        if (depth + 1 > QueryLimits.MaxRelationDepth)
        {
            throw new FilterSyntaxException($"more than {QueryLimits.MaxRelationDepth} nested relations");
        }

        var other = FindCollection(parts[0]);
        var field = other.FindField(parts[1]);
        if (field is null || field.Type != FieldType.Relation || !string.Equals(field.CollectionId, collection.Id, StringComparison.Ordinal))
        {
            throw new FilterSyntaxException($"{parts[1]} of {other.Name} is not a relation to {collection.Name}");
        }

        CheckHidden(field);
        var rule = HopRule(other);
        var backAlias = scope.GetOrAdd(pathKey, a => (
            s => s.AppendIdentifier(other.Name).Append(" AS ").AppendIdentifier(a),
            s =>
            {
                if (field.IsMultiple)
                {
                    s.Dialect.AppendJsonArrayContains(s, x => x.AppendColumn(a, field.Name), x => x.AppendColumn(alias, "id"));
                }
                else
                {
                    s.AppendColumn(a, field.Name).Append(" = ").AppendColumn(alias, "id");
                }

                AppendRule(s, other, a, rule);
            }
        ));
        return (other, backAlias);
    }

    private static Field IdField(Collection collection) =>
        collection.FindField("id") ?? new Field { Name = "id", Type = FieldType.Text };

    private void CheckHidden(Field field)
    {
        if (Restricted && field.Hidden)
        {
            throw new FilterSyntaxException($"{field.Name} is hidden");
        }
    }

    /// <summary>The listRule a client's hop must satisfy; null when none applies (rules, superusers, an empty rule).</summary>
    private string? HopRule(Collection target)
    {
        if (!Restricted)
        {
            return null;
        }

        if (target.ListRule is null)
        {
            throw new FilterSyntaxException($"{target.Name} can be listed by superusers only");
        }

        return target.ListRule.Trim().Length == 0 ? null : target.ListRule;
    }

    private void AppendRule(SqlBuilder sql, Collection target, string alias, string? rule)
    {
        if (rule is null)
        {
            return;
        }

        sql.Append(" AND ");
        _compiler.AppendFilter(sql, _context with { Collection = target, Alias = alias, IsRule = true }, rule);
    }

    /// <summary>Joins the items of a multiple field (json_each), shared by every use of the same path.</summary>
    private static string ItemsJoin(JoinScope scope, string alias, Field field, string key) =>
        scope.GetOrAdd(key, a => (s => s.Dialect.AppendJsonArrayItems(s, x => x.AppendColumn(alias, field.Name), a), null));

    private ResolvedOperand ResolveLastField(
        Collection collection, string alias, Field field, string? modifier, JoinScope scope, string pathKey, bool multi, bool forSort, bool nullable)
    {
        Action<SqlBuilder>? guard = null;
        if (Restricted && collection.IsAuth && field.Name == "email")
        {
            // A client may only match emails their owners made public.
            guard = s => s.AppendColumn(alias, "emailVisibility").Append(" = TRUE");
        }

        var kind = KindOf(field);
        if (modifier is not (null or "each" or "lower" or "length"))
        {
            throw new FilterSyntaxException($"unsupported modifier :{modifier} on {field.Name}");
        }

        if (kind == ValueKind.Json)
        {
            if (modifier is not null)
            {
                throw new FilterSyntaxException($":{modifier} is not supported on json field {field.Name}");
            }

            return JsonPath(alias, field, [], 0, multi);
        }

        // As in PocketBase, :length counts the items of select, file and relation fields (0 or 1 for a single one);
        // on any other field, like :each on a single value, it leaves the plain value.
        if (modifier == "length" && FieldType.CanBeMultiple(field.Type))
        {
            return new ResolvedOperand
            {
                Kind = ValueKind.Number,
                Sql = field.IsMultiple
                    ? s => s.Dialect.AppendJsonArrayLength(s, x => x.AppendColumn(alias, field.Name))
                    : s => s.Append("(CASE WHEN ").AppendColumn(alias, field.Name).Append(" = '' OR ").AppendColumn(alias, field.Name)
                        .Append(" IS NULL THEN 0 ELSE 1 END)"),
                IsMulti = multi,
                Nullable = nullable,
            };
        }

        Action<SqlBuilder> value = s => s.AppendColumn(alias, field.Name);
        if (field.IsMultiple)
        {
            if (modifier == "each" && !forSort)
            {
                // Only :each matches item by item; a plain multiple field is one value, its JSON text.
                var items = ItemsJoin(scope, alias, field, pathKey + "[each]");
                value = s => s.AppendColumn(items, "value");
                (multi, nullable) = (true, true);
            }
            else
            {
                value = s => s.Dialect.AppendJsonArrayText(s, x => x.AppendColumn(alias, field.Name));
            }

            kind = ValueKind.Text;
        }

        if (modifier == "lower")
        {
            if (kind != ValueKind.Text)
            {
                throw new FilterSyntaxException($":lower needs a text field, {field.Name} is not");
            }

            var inner = value;
            value = s =>
            {
                s.Append("LOWER(");
                inner(s);
                s.Append(')');
            };
        }

        return new ResolvedOperand { Kind = kind, Sql = value, IsMulti = multi, Nullable = nullable, Guard = guard };
    }

    private static ResolvedOperand JsonPath(string alias, Field field, string[] segments, int index, bool multi)
    {
        var path = segments[index..];
        foreach (var segment in path)
        {
            if (segment.Length == 0 || !segment.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
            {
                throw new FilterSyntaxException($"invalid json path segment {segment}");
            }
        }

        return new ResolvedOperand
        {
            Kind = ValueKind.Json,
            JsonDocument = s => s.AppendColumn(alias, field.Name),
            JsonPath = path,
            IsMulti = multi,
            NoCoalesce = true,
            Nullable = true,
        };
    }

    internal static ValueKind KindOf(Field field) => field.Type switch
    {
        FieldType.Number => ValueKind.Number,
        FieldType.Bool => ValueKind.Bool,
        FieldType.Json or FieldType.GeoPoint => ValueKind.Json,
        _ => ValueKind.Text,
    };
}
