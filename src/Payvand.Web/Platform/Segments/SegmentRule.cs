using System.Text.Json.Serialization;
using Microsoft.Extensions.Localization;
using Payvand.Platform.Data;
using Payvand.Platform.Errors;
using Payvand.Platform.Localization;

namespace Payvand.Platform.Segments;

[JsonConverter(typeof(JsonStringEnumConverter<SegmentMatch>))]
public enum SegmentMatch
{
    // Every condition and group holds.
    All,

    // At least one holds.
    Any,
}

public sealed record SegmentCondition(string Field, SegmentOperator Operator, IReadOnlyList<string>? Values = null);

// A rule over people: conditions and groups of conditions, all or any of them. Groups nest (all of: city is Shiraz,
// any of: spent over X, bought in the last 30 days).
public sealed record SegmentRule(SegmentMatch Match = SegmentMatch.All, IReadOnlyList<SegmentCondition>? Conditions = null, IReadOnlyList<SegmentRule>? Groups = null);

// Compiles a rule to one query of people ids from the fields modules registered. Bad rules are answered with field
// errors named after their place in the rule ("conditions[1].values", "groups[0].conditions[2].field").
public sealed class SegmentCompiler(IEnumerable<ISegmentField> fields, IStringLocalizer<SharedResource> text)
{
    public const int MaxConditions = 50;
    public const int MaxDepth = 3;
    public const int MaxValues = 100;

    private readonly Dictionary<string, ISegmentField> byKey = fields.ToDictionary(f => f.Key, StringComparer.Ordinal);

    public IReadOnlyCollection<ISegmentField> Fields => byKey.Values;

    // Null for a rule without conditions: everyone.
    public IQueryable<int>? Compile(PayvandDb db, SegmentRule rule, SegmentContext context)
    {
        var v = new Validator(text);
        var count = 0;
        Check(rule, "", 1, v, ref count);
        v.ThrowIfAny();
        return Build(db, rule, context);
    }

    private void Check(SegmentRule rule, string at, int depth, Validator v, ref int count)
    {
        if (depth > MaxDepth) v.Add(at + "groups", "Groups nest at most {0} deep.", MaxDepth);
        var conditions = rule.Conditions ?? [];
        for (var i = 0; i < conditions.Count; i++)
        {
            var c = conditions[i];
            var place = $"{at}conditions[{i}]";
            if (++count > MaxConditions)
            {
                v.Add(place, "A rule has at most {0} conditions.", MaxConditions);
                return;
            }

            if (c.Field is null || !byKey.TryGetValue(c.Field, out var field))
            {
                v.Add(place + ".field", "There is no field {0}.", c.Field ?? "");
                continue;
            }

            if (!field.Operators.Contains(c.Operator))
            {
                v.Add(place + ".operator", "{0} takes one of: {1}.", text[field.Label], string.Join(", ", field.Operators));
                continue;
            }

            var values = c.Values ?? [];
            var arity = SegmentField.Arity(c.Operator);
            if ((arity >= 0 && values.Count != arity) || (arity < 0 && values.Count is 0 or > MaxValues))
            {
                v.Add(place + ".values", arity >= 0 ? "This condition takes {0} values." : "This condition takes 1 to {0} values.", arity >= 0 ? arity : MaxValues);
                continue;
            }

            foreach (var value in values)
            {
                if (SegmentField.Problem(field.Type, c.Operator, value ?? "", field.Choices) is { } problem) v.Add(place + ".values", problem);
            }
        }

        var groups = rule.Groups ?? [];
        for (var i = 0; i < groups.Count; i++) Check(groups[i], $"{at}groups[{i}].", depth + 1, v, ref count);
    }

    private IQueryable<int>? Build(PayvandDb db, SegmentRule rule, SegmentContext context)
    {
        var parts = (rule.Conditions ?? []).Select(c => byKey[c.Field].Matching(db, c.Operator, c.Values ?? [], context))
            .Concat((rule.Groups ?? []).Select(g => Build(db, g, context)).OfType<IQueryable<int>>())
            .ToList();
        if (parts.Count == 0) return null;
        var result = parts[0];
        foreach (var part in parts.Skip(1))
        {
            // IN (subquery) for All, UNION for Any: the database plans the whole rule as one statement.
            result = rule.Match == SegmentMatch.All ? result.Where(id => part.Contains(id)) : result.Union(part);
        }

        return result;
    }
}
