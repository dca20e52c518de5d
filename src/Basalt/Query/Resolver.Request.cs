using System.Text.Json;
using System.Text.Json.Nodes;
using Basalt.Model;
using Basalt.Storage;

namespace Basalt.Query;

/// <summary><c>@request.*</c> and <c>@collection.*</c> operands.</summary>
internal sealed partial class Resolver
{
    private ResolvedOperand ResolveRequest(string path, JoinScope scope)
    {
        var segments = Segments(path);
        var (name, modifier) = SplitModifier(segments[0]);
        var request = _context.Request;
        switch (name)
        {
            case "method" or "context" when segments.Length == 1:
                return StaticWithModifier(name == "method" ? request.Method : request.Context, modifier, true);
            case "query" or "headers" when segments.Length == 2 && modifier is null:
                {
                    var (key, keyModifier) = SplitModifier(segments[1]);
                    var map = name == "query" ? request.Query : request.Headers;
                    return StaticWithModifier(map.TryGetValue(key, out var v) ? v : null, keyModifier, map.ContainsKey(key));
                }

            case "body" when segments.Length >= 2 && modifier is null:
                return ResolveBody(segments, scope);
            case "auth" when segments.Length >= 2 && modifier is null:
                return ResolveAuth(segments, scope);
            default:
                throw new FilterSyntaxException($"unknown identifier @request.{path}");
        }
    }

    private static ResolvedOperand StaticWithModifier(string? value, string? modifier, bool isSet) => modifier switch
    {
        null => ResolvedOperand.Static(value),
        "isset" => ResolvedOperand.Static(isSet),
        "lower" => ResolvedOperand.Static(AsciiLower(value)),
        "length" => ResolvedOperand.Static((double)(value?.Length ?? 0)),
        _ => throw new FilterSyntaxException($"unsupported modifier :{modifier}"),
    };

    /// <summary>SQLite's LOWER only folds ASCII; static values are folded the same way so both sides agree.</summary>
    private static string? AsciiLower(string? value) =>
        value is null ? null : string.Create(value.Length, value, (span, v) =>
        {
            for (var i = 0; i < v.Length; i++)
            {
                span[i] = char.IsAsciiLetterUpper(v[i]) ? (char)(v[i] + 32) : v[i];
            }
        });

    private ResolvedOperand ResolveAuth(string[] segments, JoinScope scope)
    {
        var auth = _context.Request.Auth;
        var (name, modifier) = SplitModifier(segments[1]);
        if (segments.Length == 2 && name is "id" or "collectionId" or "collectionName")
        {
            var value = auth is null ? "" : name switch
            {
                "id" => auth.Id,
                "collectionId" => auth.Collection.Id,
                _ => auth.Collection.Name,
            };
            return StaticWithModifier(value, modifier, auth is not null);
        }

        // Guests, and fields another auth collection does not have, read as NULL: a rule written for one auth
        // collection must not fail for callers from another.
        if (auth is null || auth.Collection.FindField(name) is null)
        {
            return modifier == "isset" ? ResolvedOperand.Static(false) : ResolvedOperand.Static(null);
        }

        var authCollection = auth.Collection;
        var authId = auth.Id;
        var authAlias = scope.GetOrAdd("@request.auth", a => (
            s => s.AppendIdentifier(authCollection.Name).Append(" AS ").AppendIdentifier(a),
            s => s.AppendColumn(a, "id").Append(" = ").AppendParameter(authId)));
        return ResolvePath(authCollection, authAlias, segments, 1, scope, "@request.auth", 0, false, false);
    }

    private ResolvedOperand ResolveBody(string[] segments, JoinScope scope)
    {
        var body = _context.Request.Body;
        var (name, modifier) = SplitModifier(segments[1]);
        var isSet = body.TryGetPropertyValue(name, out var node);
        var field = _context.Collection.FindField(name);
        if (segments.Length > 2)
        {
            if (modifier is not null)
            {
                throw new FilterSyntaxException($"modifier :{modifier} must end the path");
            }

            if (field?.Type == FieldType.Relation)
            {
                return BodyRelation(field, node, segments, scope);
            }

            // Any other body value is read statically along the path (json fields, objects).
            for (var i = 2; i < segments.Length && node is not null; i++)
            {
                var (key, m) = SplitModifier(segments[i]);
                node = node switch
                {
                    JsonObject o => o.TryGetPropertyValue(key, out var child) ? child : null,
                    JsonArray a when int.TryParse(key, out var n) && n >= 0 && n < a.Count => a[n],
                    _ => null,
                };
                if (m is not null)
                {
                    return i == segments.Length - 1
                        ? StaticWithModifier(node is JsonValue v && v.TryGetValue<string>(out var str) ? str : node?.ToJsonString(), m, node is not null)
                        : throw new FilterSyntaxException($"modifier :{m} must end the path");
                }
            }

            return StaticJson(node, null, scope, "");
        }

        switch (modifier)
        {
            case "isset":
                return ResolvedOperand.Static(isSet);
            case "changed":
                return Changed(name, field, isSet, node, scope);
            case "length":
                return ResolvedOperand.Static((double)(node switch
                {
                    JsonArray a => a.Count,
                    null => 0,
                    JsonValue v when v.TryGetValue<string>(out var s) => s.Length == 0 ? 0 : 1,
                    _ => 1,
                }));
            case "lower":
                return ResolvedOperand.Static(AsciiLower(node is JsonValue lv && lv.TryGetValue<string>(out var ls) ? ls : node?.ToJsonString()));
            case "each":
                return node is JsonArray || node is null
                    ? StaticJson(node, field, scope, name + "[each]")
                    : StaticJson(new JsonArray(node.DeepClone()), field, scope, name + "[each]");
            case null:
                // Without :each a submitted list is one value, its JSON text, as a stored list is.
                return node is JsonArray list ? ResolvedOperand.Static(JsonArrayText.Of(list)) : StaticJson(node, field, scope, name);
            default:
                throw new FilterSyntaxException($"unsupported modifier :{modifier}");
        }
    }

    /// <summary>A submitted value: scalars become static values (text for a number field is read as a number), arrays become items.</summary>
    private static ResolvedOperand StaticJson(JsonNode? node, Field? field, JoinScope scope, string key)
    {
        switch (node)
        {
            case null:
                return ResolvedOperand.Static(null);
            case JsonArray array:
                {
                    var json = array.ToJsonString();
                    var items = scope.GetOrAdd("@request.body." + key + "[]", a => (
                        s => s.Dialect.AppendJsonArrayItems(s, x => x.Dialect.AppendJsonParameter(x, json), a),
                        null));
                    return new ResolvedOperand { Kind = ValueKind.Text, Sql = s => s.AppendColumn(items, "value"), IsMulti = true, Nullable = true };
                }

            case JsonValue value:
                switch (value.GetValueKind())
                {
                    case JsonValueKind.String:
                        var text = value.GetValue<string>();
                        if (field?.Type == FieldType.Number)
                        {
                            var number = ResolvedOperand.Static(text).StaticNumber ?? 0;
                            return ResolvedOperand.Static(number);
                        }

                        return ResolvedOperand.Static(text);
                    case JsonValueKind.Number:
                        return ResolvedOperand.Static(value.GetValue<double>());
                    case JsonValueKind.True:
                        return ResolvedOperand.Static(true);
                    case JsonValueKind.False:
                        return ResolvedOperand.Static(false);
                    default:
                        return ResolvedOperand.Static(null);
                }

            default:
                return ResolvedOperand.Static(node.ToJsonString());
        }
    }

    private ResolvedOperand BodyRelation(Field field, JsonNode? node, string[] segments, JoinScope scope)
    {
        var ids = node switch
        {
            JsonArray a => a.Select(x => x is JsonValue v && v.TryGetValue<string>(out var id) ? id : null).OfType<string>().ToList(),
            JsonValue v when v.TryGetValue<string>(out var id) && id.Length > 0 => [id],
            _ => new List<string>(),
        };
        var related = FindCollection(field.CollectionId ?? "");
        var key = "@request.body." + field.Name;
        var alias = scope.GetOrAdd(key, a => (
            s => s.AppendIdentifier(related.Name).Append(" AS ").AppendIdentifier(a),
            s =>
            {
                if (ids.Count == 0)
                {
                    s.Append("1=0");
                    return;
                }

                s.AppendColumn(a, "id").Append(" IN (");
                for (var i = 0; i < ids.Count; i++)
                {
                    s.Append(i == 0 ? "" : ", ").AppendParameter(ids[i]);
                }

                s.Append(')');
            }
        ));
        return ResolvePath(related, alias, segments, 2, scope, key, 1, field.IsMultiple || ids.Count > 1, false);
    }

    /// <summary><c>@request.body.f:changed</c>: the key was submitted and its value differs from the stored one.</summary>
    private ResolvedOperand Changed(string name, Field? field, bool isSet, JsonNode? node, JoinScope scope)
    {
        if (field is null)
        {
            throw new FilterSyntaxException($":changed needs a field of {_context.Collection.Name}, {name} is not");
        }

        if (!isSet)
        {
            return ResolvedOperand.Static(false);
        }

        var alias = _context.Alias;
        if (field.IsMultiple)
        {
            var submitted = (node as JsonArray ?? new JsonArray(node?.DeepClone()))
                .Select(x => x is JsonValue v && v.TryGetValue<string>(out var id) ? id : x?.ToJsonString())
                .OfType<string>().Distinct(StringComparer.Ordinal).ToList();
            return new ResolvedOperand { Kind = ValueKind.Bool, Sql = s => AppendSetDiffers(s, alias, field, submitted) };
        }

        var stored = ResolveLastField(_context.Collection, alias, field, null, scope, "." + name, false, true, false);
        var value = StaticJson(node, field, scope, name);
        return new ResolvedOperand
        {
            Kind = ValueKind.Bool,
            Sql = s =>
            {
                s.Append('(');
                ComparisonWriter.Append(s, Ast.ComparisonOperator.NotEqual, value, stored);
                s.Append(')');
            },
        };
    }

    /// <summary>True when the stored JSON array does not hold exactly the submitted (distinct) items.</summary>
    private static void AppendSetDiffers(SqlBuilder sql, string alias, Field field, List<string> submitted)
    {
        sql.Append("(NOT (");
        sql.Dialect.AppendJsonArrayLength(sql, s => s.AppendColumn(alias, field.Name));
        sql.Append(" = ").Append(submitted.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (submitted.Count > 0)
        {
            var items = sql.NewAlias("__je");
            sql.Append(" AND NOT EXISTS (SELECT 1 FROM ");
            sql.Dialect.AppendJsonArrayItems(sql, s => s.AppendColumn(alias, field.Name), items);
            sql.Append(" WHERE ").AppendColumn(items, "value").Append(" NOT IN (");
            for (var i = 0; i < submitted.Count; i++)
            {
                sql.Append(i == 0 ? "" : ", ").AppendParameter(submitted[i]);
            }

            sql.Append("))");
        }

        sql.Append("))");
    }

    private ResolvedOperand ResolveCollection(string path, JoinScope scope, bool forSort)
    {
        var segments = Segments(path);
        if (segments.Length < 2)
        {
            throw new FilterSyntaxException($"@collection.{path} needs a field");
        }

        var (name, joinAlias) = SplitModifier(segments[0]);
        var collection = FindCollection(name);
        var key = "@collection." + collection.Name + ":" + (joinAlias ?? "");
        var alias = scope.GetOrAdd(key, a => (s => s.AppendIdentifier(collection.Name).Append(" AS ").AppendIdentifier(a), null));
        return ResolvePath(collection, alias, segments, 1, scope, key, 1, true, forSort);
    }
}
