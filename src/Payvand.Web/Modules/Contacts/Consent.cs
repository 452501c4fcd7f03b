namespace Payvand.Modules.Contacts;

public enum ConsentChannel
{
    Sms,
    Email,
    Call,
    Fax,
}

public enum ConsentStatus
{
    Unknown,
    OptedIn,
    OptedOut,
}

public enum ContactPurpose
{
    // Receipts, appointment reminders, one-time codes: need a reachable address, not marketing consent.
    Transactional,

    // Offers and campaigns: need an explicit opt-in and respect the best time to contact.
    Promotional,
}

// One change of consent on one channel: who or what recorded it, when, and from where (form, import, SMS reply...).
public sealed class ConsentRecord
{
    public long Id { get; set; }

    public int ContactId { get; set; }

    public ConsentChannel Channel { get; set; }

    public ConsentStatus Status { get; set; }

    public required string Source { get; set; }

    public DateTime RecordedAt { get; set; }

    public int? RecordedById { get; set; }

    public string? Note { get; set; }
}
