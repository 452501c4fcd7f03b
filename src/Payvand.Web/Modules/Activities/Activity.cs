namespace Payvand.Modules.Activities;

public enum ActivityKind
{
    Note,
    Call,
    Meeting,
    Email,
    Sms,
    Purchase,
    // Written by other modules through TimelineWriter (deals, points, tickets, campaign messages, survey answers).
    External,
}

// Inbound or outbound: of a call, an email or an SMS.
public enum CallDirection
{
    Inbound,
    Outbound,
}

public enum CallOutcome
{
    Connected,
    NoAnswer,
    Busy,
    LeftVoicemail,
    WrongNumber,
}

// One entry of the timeline (تاریخچه ارتباطات) of a person and/or company. Its branch is the branch of the
// person (or, without one, the company) it was logged on; who may see it follows that person or company.
public sealed class Activity
{
    public long Id { get; set; }

    public ActivityKind Kind { get; set; }

    // For External entries: the module's own type, e.g. "deal.won", "loyalty.points".
    public string? Type { get; set; }

    // For External entries: the entry's structured data as JSON, which its registered type (ITimelineEntryType) turns
    // into text in the reader's language. Entries written before it existed, or of unregistered types, show Subject.
    public string? Data { get; set; }

    public int? ContactId { get; set; }

    public int? CompanyId { get; set; }

    public int BranchId { get; set; }

    // When it happened (a meeting's start). UTC.
    public DateTime OccurredAt { get; set; }

    public string? Subject { get; set; }

    public string? Body { get; set; }

    public CallDirection? Direction { get; set; }

    // The other party's number of a call or SMS, E.164.
    public string? PhoneNumber { get; set; }

    // The other party's address of an email.
    public string? EmailAddress { get; set; }

    public int? DurationSeconds { get; set; }

    public CallOutcome? Outcome { get; set; }

    public DateTime? FollowUpAt { get; set; }

    // When the follow-up was done, and by whom: it then leaves "my follow-ups".
    public DateTime? FollowUpDoneAt { get; set; }

    public int? FollowUpDoneById { get; set; }

    public DateTime? EndsAt { get; set; }

    public string? Location { get; set; }

    // Link back to the record another module owns, e.g. ("Sales.Deal", "42").
    public string? SourceType { get; set; }

    public string? SourceId { get; set; }

    public int? CreatedById { get; set; }

    public DateTime CreatedAt { get; set; }

    // Entries people log by hand; Purchase and External entries belong to the module that wrote them.
    public bool IsManual => IsLoggedByHand(Kind);

    public static bool IsLoggedByHand(ActivityKind kind) =>
        kind is ActivityKind.Note or ActivityKind.Call or ActivityKind.Meeting or ActivityKind.Email or ActivityKind.Sms;
}
