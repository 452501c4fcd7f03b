using Payvand.Platform.Data;
using Payvand.Platform.Persian;
using Payvand.Platform.Search;

namespace Payvand.Modules.Contacts;

public enum Gender
{
    Unknown,
    Female,
    Male,
}

public enum RecordSource
{
    Manual,
    Import,
    WebForm,
    Pos,
    Api,
}

public enum LifecycleStage
{
    Subscriber,
    Lead,
    Opportunity,
    Customer,
    FormerCustomer,
}

public enum ContactPointKind
{
    Mobile,
    Phone,
    Email,
    Fax,
}

// A person (شخص / مخاطب): the centre of the Customer 360 record.
public sealed class Contact : ICustomerRecord<ContactTag>, IVersioned
{
    private DateOnly? birthDate;

    public int Id { get; set; }

    public string? FirstName { get; set; }

    public required string LastName { get; set; }

    // Normalized "first last" kept for sorting and de-duplication (PersianText.Normalize).
    public string SortName { get; set; } = "";

    // The person's search terms in one line (SearchIndex.Text), so a list filtered by a common name is read in name order
    // from one index instead of probing the terms person by person; null when too long, and then only the terms count.
    public string? SearchText { get; set; }

    // The first and last name as search keys (PersianText.NormalizeKey: ی/ي, ک/ك, half-spaces, digits, case), for the
    // list's and segments' "first name is / starts with" filters, each served by its own index; null when empty.
    public string? FirstNameKey { get; set; }

    public string? LastNameKey { get; set; }

    public string? NationalCode { get; set; }

    public DateOnly? BirthDate
    {
        get => birthDate;
        set
        {
            birthDate = value;
            BirthMonthDay = JalaliMonthDay(value);
        }
    }

    // The Jalali month and day of BirthDate as month * 100 + day (1230 for 30 Esfand), kept by BirthDate's setter (EF
    // reads both columns without it), so birthday messages find today's people in one indexed query.
    public int? BirthMonthDay { get; private set; }

    public Gender Gender { get; set; }

    public string? JobTitle { get; set; }

    public int? CompanyId { get; set; }

    public string? Address { get; set; }

    public string? City { get; set; }

    public string? Province { get; set; }

    public string? PostalCode { get; set; }

    public RecordSource Source { get; set; }

    public LifecycleStage Lifecycle { get; set; } = LifecycleStage.Lead;

    public int? OwnerId { get; set; }

    public int BranchId { get; set; }

    public ContactPreferences Preferences { get; set; } = new();

    public List<ContactPoint> Points { get; set; } = [];

    public List<ContactTag> Tags { get; set; } = [];

    // The current consent per channel and purpose (no row: Unknown) and every change that led to it.
    public List<ContactConsent> Consents { get; set; } = [];

    public List<ConsentRecord> ConsentHistory { get; set; } = [];

    // The purchase summary: the person's purchases in four numbers, stored on the person so the profile and the list
    // filters read one row at any scale. NetSpent is in rials after refunds. Written only through PurchaseFigures, which the
    // Purchases module calls in the transaction of the purchase or refund (atomic UPDATE ... SET x = x + n, so it neither
    // bumps the person's version nor audits); saving a person never writes these columns (see ContactConfiguration).
    public int PurchaseCount { get; set; }

    public long NetSpent { get; set; }

    public DateTime? FirstPurchaseAt { get; set; }

    public DateTime? LastPurchaseAt { get; set; }

    public PurchaseSummary Purchases => new(PurchaseCount, NetSpent, FirstPurchaseAt, LastPurchaseAt);

    public int Version { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime UpdatedAt { get; set; }

    public DateTime? DeletedAt { get; set; }

    // Set when this person was merged into another (and soft-deleted): old links and API clients find the survivor.
    public int? MergedIntoId { get; set; }

    public static int? JalaliMonthDay(DateOnly? date) => date is { } d && Jalali.FromGregorian(d) is var (_, m, day) ? m * 100 + day : null;

    public string DisplayName => string.IsNullOrWhiteSpace(FirstName) ? LastName : $"{FirstName} {LastName}";

    // Sets the columns derived from the name, phones, emails and national code; call after changing any of them.
    public void Touch()
    {
        SortName = PersianText.Normalize($"{LastName} {FirstName}");
        FirstNameKey = NameKey(FirstName);
        LastNameKey = NameKey(LastName);
        SearchText = SearchIndex.Text(SaveContact.Terms(this));
    }

    // A name as FirstNameKey and LastNameKey keep it, and as their filters compare it.
    public static string? NameKey(string? name) => SearchIndex.Key(name, ContactConfiguration.NameLength);

    public ConsentStatus ConsentFor(string channel, ContactPurpose purpose = ContactPurpose.Promotional) =>
        Consents.FirstOrDefault(c => c.Channel == channel && c.Purpose == purpose)?.Status ?? ConsentStatus.Unknown;

    // Records a consent change with its source and time; the current status and its history move together.
    public ConsentRecord SetConsent(string channel, ContactPurpose purpose, ConsentStatus status, string source, DateTime at, int? byUserId, string? note = null)
    {
        var current = Consents.FirstOrDefault(c => c.Channel == channel && c.Purpose == purpose);
        if (current is null) Consents.Add(new ContactConsent { Channel = channel, Purpose = purpose, Status = status, ChangedAt = at, Source = source });
        else (current.Status, current.ChangedAt, current.Source) = (status, at, source);

        var record = new ConsentRecord
        {
            Channel = channel,
            Purpose = purpose,
            Status = status,
            Source = source,
            RecordedAt = at,
            RecordedById = byUserId,
            Note = note,
        };
        ConsentHistory.Add(record);
        return record;
    }
}

public sealed class ContactPoint : RecordPoint;

public sealed class ContactTag : RecordTag;

[Flags]
public enum ContactDays
{
    None = 0,
    Saturday = 1,
    Sunday = 2,
    Monday = 4,
    Tuesday = 8,
    Wednesday = 16,
    Thursday = 32,
    Friday = 64,
}

// How and when a person likes to be reached (consent is kept per channel and purpose in Contact.Consents).
public sealed class ContactPreferences
{
    public ContactPointKind? PreferredChannel { get; set; }

    public ContactDays BestDays { get; set; }

    public TimeOnly? BestFrom { get; set; }

    public TimeOnly? BestTo { get; set; }

    public string? Language { get; set; }
}

public sealed record PurchaseSummary(int PurchaseCount, long NetSpent, DateTime? FirstPurchaseAt, DateTime? LastPurchaseAt);
