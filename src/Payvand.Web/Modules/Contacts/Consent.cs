namespace Payvand.Modules.Contacts;

public enum ConsentStatus
{
    Unknown,
    OptedIn,
    OptedOut,
}

public enum ContactPurpose
{
    // Receipts, appointment reminders, one-time codes: need a reachable address and no explicit opt-out of them.
    Transactional,

    // Offers and campaigns: need an explicit opt-in and respect blocklists, quiet hours, the best time and the weekly cap.
    Promotional,
}

// A way of reaching people (SMS, email, call, fax; push or chat later), kept as data so that adding one is a row, not a
// schema change. Kinds names the contact point kinds that reach it, in the order they are tried after the primary one.
public sealed class ConsentChannel
{
    public const string Sms = "sms";
    public const string Email = "email";
    public const string Call = "call";
    public const string Fax = "fax";

    // The channels every Payvand has (seeded by the migration); labels "Channel.<key>" are in the resources.
    public static readonly string[] Seeded = [Sms, Email, Call, Fax];

    public required string Key { get; set; }

    // The English name, shown when the resources have no "Channel.<key>" label (a channel added as data).
    public required string Name { get; set; }

    // Comma-separated ContactPointKind names, e.g. "Mobile,Phone".
    public required string Kinds { get; set; }

    public int SortOrder { get; set; }

    // The channel's place (0-31) in the consent masks of ContactReach: bit Bit * 2 + purpose. Unique; a channel added
    // as data takes a free one.
    public int Bit { get; set; }

    public const int MaxBit = 31;

    // The mask bit of this channel and purpose in ContactReach.ConsentIn / ConsentOut.
    public static long ConsentBit(int bit, ContactPurpose purpose) => bit is >= 0 and <= MaxBit
        ? 1L << ((bit * 2) + (int)purpose)
        : throw new InvalidOperationException($"Channel bit {bit} is outside 0-{MaxBit}.");

    public IReadOnlyList<ContactPointKind> PointKinds() =>
        Kinds.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(k => Enum.TryParse<ContactPointKind>(k, ignoreCase: true, out var kind) ? kind : (ContactPointKind?)null)
            .OfType<ContactPointKind>().ToList();
}

// The current consent of one person on one channel for one purpose; its changes are the ConsentRecords.
// No row means Unknown.
public sealed class ContactConsent
{
    public int ContactId { get; set; }

    public required string Channel { get; set; }

    public ContactPurpose Purpose { get; set; }

    public ConsentStatus Status { get; set; }

    public DateTime ChangedAt { get; set; }

    public required string Source { get; set; }
}

// One change of consent on one channel and purpose: who or what recorded it, when, and from where (form, import, SMS reply...).
public sealed class ConsentRecord
{
    public long Id { get; set; }

    public int ContactId { get; set; }

    public required string Channel { get; set; }

    public ContactPurpose Purpose { get; set; } = ContactPurpose.Promotional;

    public ConsentStatus Status { get; set; }

    public required string Source { get; set; }

    public DateTime RecordedAt { get; set; }

    public int? RecordedById { get; set; }

    public string? Note { get; set; }
}

// An address no promotional message may go to: the person replied STOP to a sender line (SenderLine set), or the
// operator's national blocklist names it (SenderLine null: every line). Address is normalized like ContactPoint's.
public sealed class BlockedAddress
{
    public long Id { get; set; }

    public required string Address { get; set; }

    public string? SenderLine { get; set; }

    public required string Source { get; set; }

    public DateTime BlockedAt { get; set; }
}

// A promotional message sent to a person on a channel, recorded by the sender (Reachability.RecordPromotional) so the
// weekly frequency cap can count them.
public sealed class PromotionalContact
{
    public long Id { get; set; }

    public int ContactId { get; set; }

    public required string Channel { get; set; }

    public DateTime SentAt { get; set; }
}

// What Reachability reads of one person, in one narrow row, so that asking about a million people reads these rows
// instead of the people, their contact points, their consent and the blocklist. Every person has one (no contact point:
// Kinds 0). Written only by the database, in the transaction of the change it follows (the triggers of migrations
// ContactReachFacts and ContactReachEveryone on Contacts, ContactPoints, ContactConsents and BlockedAddresses), so no
// writer (forms, import, merge, erasure, set-based SQL) can leave it behind; EF never saves it.
public sealed class ContactReach
{
    public int ContactId { get; set; }

    // Bit 1 << ContactPointKind for each kind the person has an address of.
    public int Kinds { get; set; }

    // The same for the addresses not blocked on every line (BlockedAddress with no SenderLine).
    public int OpenKinds { get; set; }

    // Some address is blocked on one particular line: only then is the sender line compared address by address.
    public bool LineBlocks { get; set; }

    // Copies of the person's best days and hours (Contact.Preferences).
    public ContactDays BestDays { get; set; }

    public TimeOnly? BestFrom { get; set; }

    public TimeOnly? BestTo { get; set; }

    // Copies of the person's deletion and branch (Contact.DeletedAt, Contact.BranchId): counting everyone a user may see
    // reads these rows alone.
    public bool Deleted { get; set; }

    public int BranchId { get; set; }

    // ConsentChannel.ConsentBit of every channel and purpose the person opted in to, and opted out of (ContactConsents).
    public long ConsentIn { get; set; }

    public long ConsentOut { get; set; }

    public static int Mask(IEnumerable<ContactPointKind> kinds) => kinds.Aggregate(0, (mask, kind) => mask | (1 << (int)kind));
}
