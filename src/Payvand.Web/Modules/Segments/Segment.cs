using Payvand.Platform.Data;

namespace Payvand.Modules.Segments;

// Dynamic: the rule is evaluated each time the segment is used. Static: a fixed list of people (SegmentMembers),
// frozen from a rule, another segment or a people-list view.
public enum SegmentKind
{
    Dynamic,
    Static,
}

// A saved selection of people (بخش مشتریان) a marketer sends to, exports or filters the people list by. Private to
// its creator unless shared with the team; only its creator (or an administrator) changes it. Changes are audited.
public sealed class Segment : IAudited, ITimestamped
{
    public const int NameLength = 100;
    public const int DescriptionLength = 500;

    public int Id { get; set; }

    public required string Name { get; set; }

    public string? Description { get; set; }

    public SegmentKind Kind { get; set; }

    // The rule as JSON (SegmentRule): the segment's definition when dynamic; for a static list, the rule it was
    // frozen from when there was one (shown, never evaluated).
    public string? Rule { get; set; }

    // Null once the user who made it is removed: then only administrators change it.
    public int? CreatedById { get; set; }

    public bool IsShared { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime UpdatedAt { get; set; }
}

// One person of a static list.
public sealed class SegmentMember
{
    public int SegmentId { get; set; }

    public int ContactId { get; set; }
}
