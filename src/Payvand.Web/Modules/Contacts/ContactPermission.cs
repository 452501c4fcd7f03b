using Microsoft.EntityFrameworkCore;
using Payvand.Platform.Data;

namespace Payvand.Modules.Contacts;

public sealed record ContactDecision(bool Allowed, string Reason, string? Address = null, DateTime? NextAllowedAt = null);

// "May we contact this person on channel X for purpose Y now?" — every sender (campaigns, reminders,
// thank-you and birthday messages) must ask this before sending, and honour the answer.
// Promotional messages need an explicit opt-in and respect the best time to contact (in the business time zone);
// transactional ones need only a reachable address. A deleted person is never contacted.
public sealed class ContactPermission(IDbContextFactory<PayvandDb> dbFactory, TimeProvider clock)
{
    public static readonly TimeZoneInfo BusinessZone = TimeZoneInfo.FindSystemTimeZoneById("Asia/Tehran");

    public async Task<ContactDecision> Check(int contactId, ConsentChannel channel, ContactPurpose purpose, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var contact = await db.Contacts.AsNoTracking().Include(c => c.Points).SingleOrDefaultAsync(c => c.Id == contactId, ct);
        return contact is null ? new ContactDecision(false, "not-found") : Decide(contact, channel, purpose, clock.GetUtcNow().UtcDateTime);
    }

    public static ContactDecision Decide(Contact contact, ConsentChannel channel, ContactPurpose purpose, DateTime nowUtc)
    {
        if (contact.DeletedAt is not null) return new ContactDecision(false, "deleted");
        var kinds = channel switch
        {
            ConsentChannel.Sms => new[] { ContactPointKind.Mobile },
            ConsentChannel.Email => [ContactPointKind.Email],
            ConsentChannel.Call => [ContactPointKind.Mobile, ContactPointKind.Phone],
            _ => [ContactPointKind.Fax],
        };
        var address = contact.Points.Where(p => kinds.Contains(p.Kind)).OrderByDescending(p => p.IsPrimary).Select(p => p.NormalizedValue).FirstOrDefault();
        if (address is null) return new ContactDecision(false, "no-address");
        if (purpose == ContactPurpose.Transactional) return new ContactDecision(true, "transactional", address);

        var consent = contact.ConsentFor(channel);
        if (consent == ConsentStatus.OptedOut) return new ContactDecision(false, "opted-out", address);
        if (consent != ConsentStatus.OptedIn) return new ContactDecision(false, "no-consent", address);

        var next = NextGoodTime(contact.Preferences, nowUtc);
        return next is null || next <= nowUtc
            ? new ContactDecision(true, "opted-in", address)
            : new ContactDecision(false, "outside-best-time", address, next);
    }

    // The first instant at or after now that falls in the person's best days and hours (null: no preference).
    public static DateTime? NextGoodTime(ContactPreferences p, DateTime nowUtc)
    {
        if (p.BestDays == ContactDays.None && p.BestFrom is null && p.BestTo is null) return null;
        var local = TimeZoneInfo.ConvertTimeFromUtc(nowUtc, BusinessZone);
        var from = p.BestFrom ?? TimeOnly.MinValue;
        var to = p.BestTo ?? TimeOnly.MaxValue;
        for (var day = 0; day < 8; day++)
        {
            var date = DateOnly.FromDateTime(local).AddDays(day);
            if (p.BestDays != ContactDays.None && !p.BestDays.HasFlag(DayFlag(date.DayOfWeek))) continue;
            var start = date.ToDateTime(from);
            var end = date.ToDateTime(to);
            var candidate = day == 0 && local > start ? local : start;
            if (candidate <= end) return TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(candidate, DateTimeKind.Unspecified), BusinessZone);
        }

        return null;
    }

    private static ContactDays DayFlag(DayOfWeek d) => d switch
    {
        DayOfWeek.Saturday => ContactDays.Saturday,
        DayOfWeek.Sunday => ContactDays.Sunday,
        DayOfWeek.Monday => ContactDays.Monday,
        DayOfWeek.Tuesday => ContactDays.Tuesday,
        DayOfWeek.Wednesday => ContactDays.Wednesday,
        DayOfWeek.Thursday => ContactDays.Thursday,
        _ => ContactDays.Friday,
    };
}
