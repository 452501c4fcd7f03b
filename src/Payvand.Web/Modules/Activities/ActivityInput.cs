using Payvand.Modules.Contacts;
using Payvand.Platform.Data;
using Payvand.Platform.Errors;
using Payvand.Platform.Persian;

namespace Payvand.Modules.Activities;

// What the "log activity" form or an API client sends to log a note, call, meeting, email or SMS, or to change one.
// Only the fields of the kind are kept: a call's number and outcome, a meeting's end and place, a message's direction.
public sealed record ActivityInput
{
    public ActivityKind Kind { get; init; } = ActivityKind.Note;

    // The person and/or company it is about. The route names one of them; the other may be given here.
    public int? ContactId { get; init; }

    public int? CompanyId { get; init; }

    // When it happened (a meeting's start); now if not given. Only meetings may lie in the future.
    public DateTime? OccurredAt { get; init; }

    public string? Subject { get; init; }

    public string? Body { get; init; }

    // Calls, emails and SMS.
    public CallDirection? Direction { get; init; }

    // The other party's number of a call or SMS, in any format; stored as E.164.
    public string? PhoneNumber { get; init; }

    // Emails: the other party's address.
    public string? EmailAddress { get; init; }

    // Calls.
    public int? DurationSeconds { get; init; }

    public CallOutcome? Outcome { get; init; }

    public DateTime? FollowUpAt { get; init; }

    // Meetings.
    public DateTime? EndsAt { get; init; }

    public string? Location { get; init; }

    public static readonly ActivityKind[] LoggableKinds = Enum.GetValues<ActivityKind>().Where(Activity.IsLoggedByHand).ToArray();

    // A clock may run a little ahead of the server's; a call logged "now" from a phone must not be refused.
    private static readonly TimeSpan FutureTolerance = TimeSpan.FromMinutes(5);

    // Checks every field, collecting all messages, then applies the input to the entry (its kind is set by the caller).
    public void ApplyTo(Activity activity, Validator v, DateTime nowUtc)
    {
        var kind = activity.Kind;
        var occurredAt = OccurredAt is { } at ? ToUtc(at) : (activity.Id == 0 ? nowUtc : activity.OccurredAt);
        v.MaxLength("subject", Subject, 300, "Subject");
        v.MaxLength("body", Body, 10_000, "Text");
        v.MaxLength("location", Location, 200, "Location");
        switch (kind)
        {
            case ActivityKind.Note or ActivityKind.Sms:
                v.Required("body", Body, "Text");
                break;
            case ActivityKind.Meeting or ActivityKind.Email:
                v.Required("subject", Subject, "Subject");
                break;
        }

        if (kind is ActivityKind.Call or ActivityKind.Email or ActivityKind.Sms && Direction is null)
        {
            v.Add("direction", "{0} is required.", v.Text["Direction"]);
        }

        if (kind != ActivityKind.Meeting && occurredAt > nowUtc + FutureTolerance)
        {
            v.Add("occurredAt", "The time cannot be in the future.");
        }

        string? phone = null;
        if (kind is ActivityKind.Call or ActivityKind.Sms && !string.IsNullOrWhiteSpace(PhoneNumber))
        {
            if (IranianPhone.TryNormalize(PhoneNumber, out var e164)) phone = e164;
            else v.Add("phoneNumber", "The phone number is not valid.");
        }

        string? email = null;
        if (kind == ActivityKind.Email && !string.IsNullOrWhiteSpace(EmailAddress))
        {
            email = ContactInput.NormalizePoint(ContactPointKind.Email, EmailAddress);
            if (email is null) v.Add("emailAddress", "The email address is not valid.");
        }

        if (kind == ActivityKind.Call && DurationSeconds is < 0 or > 86_400)
        {
            v.Add("durationSeconds", "{0} must be between {1} and {2}.", v.Text["Duration"], 0, 86_400);
        }

        var endsAt = EndsAt is { } end ? ToUtc(end) : (DateTime?)null;
        if (kind == ActivityKind.Meeting && endsAt < occurredAt)
        {
            v.Add("endsAt", "The end must be after the start.");
        }

        var followUp = FollowUpAt is { } f ? ToUtc(f) : (DateTime?)null;
        if (kind == ActivityKind.Call && followUp < occurredAt)
        {
            v.Add("followUpAt", "The follow-up must be after the call.");
        }

        v.ThrowIfAny();

        activity.OccurredAt = occurredAt;
        activity.Subject = ContactInput.Clean(Subject);
        activity.Body = CleanText(Body);
        activity.Direction = kind is ActivityKind.Call or ActivityKind.Email or ActivityKind.Sms ? Direction : null;
        activity.PhoneNumber = phone;
        activity.EmailAddress = email;
        activity.DurationSeconds = kind == ActivityKind.Call ? DurationSeconds : null;
        activity.Outcome = kind == ActivityKind.Call ? Outcome : null;
        activity.FollowUpAt = kind == ActivityKind.Call ? followUp : null;
        activity.EndsAt = kind == ActivityKind.Meeting ? endsAt : null;
        activity.Location = kind == ActivityKind.Meeting ? ContactInput.Clean(Location) : null;
    }

    // Multi-line text as written (line breaks kept), trimmed, with Arabic ي/ك stored as Persian ی/ک.
    internal static string? CleanText(string? s)
    {
        s = StoredText.CleanOrNull(s); // control characters are not stored (StoredText): text of only them is none
        return string.IsNullOrWhiteSpace(s) ? null : PersianText.PersianLetters(s.Trim());
    }

    // Instants without a zone are taken as UTC, like every instant of the API.
    private static DateTime ToUtc(DateTime d) => d.Kind switch
    {
        DateTimeKind.Utc => d,
        DateTimeKind.Local => d.ToUniversalTime(),
        _ => DateTime.SpecifyKind(d, DateTimeKind.Utc),
    };
}
