using Payvand.Platform.Segments;

namespace Payvand.Modules.Segments.UI;

// A rule as the builder edits it: groups and conditions that change in place, turned into a SegmentRule to count or save.
public sealed class RuleDraft
{
    public SegmentMatch Match { get; set; } = SegmentMatch.All;

    public List<ConditionDraft> Conditions { get; } = [];

    public List<RuleDraft> Groups { get; } = [];

    public static RuleDraft From(SegmentRule? rule)
    {
        var draft = new RuleDraft { Match = rule?.Match ?? SegmentMatch.All };
        draft.Conditions.AddRange((rule?.Conditions ?? []).Select(c => new ConditionDraft { Field = c.Field, Operator = c.Operator, Values = [.. c.Values ?? []] }));
        draft.Groups.AddRange((rule?.Groups ?? []).Select(From));
        return draft;
    }

    // complete: only the conditions filled in enough to count (the live count while a condition is being written).
    public SegmentRule ToRule(bool completeOnly = false) => new(
        Match,
        [.. Conditions.Where(c => !completeOnly || c.IsComplete).Select(c => new SegmentCondition(c.Field!, c.Operator!.Value, [.. c.Values.Select(v => v ?? "")]))],
        [.. Groups.Select(g => g.ToRule(completeOnly))]);
}

public sealed class ConditionDraft
{
    public string? Field { get; set; }

    public SegmentOperator? Operator { get; set; }

    public List<string?> Values { get; set; } = [];

    public bool IsComplete => Field is not null && Operator is { } op && SegmentField.Arity(op) switch
    {
        0 => true,
        -1 => Values.Count > 0 && Values.All(v => !string.IsNullOrWhiteSpace(v)),
        var n => Values.Count == n && Values.All(v => !string.IsNullOrWhiteSpace(v)),
    };
}
