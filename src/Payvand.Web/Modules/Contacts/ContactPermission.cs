using Microsoft.EntityFrameworkCore;
using Payvand.Platform.Data;
using Payvand.Platform.Settings;

namespace Payvand.Modules.Contacts;

public sealed record ContactDecision(bool Allowed, string Reason, string? Address = null, DateTime? NextAllowedAt = null);

// "May we contact this person on channel X for purpose Y now?" for one person: the rules of Reachability over a set of
// one, so a single send and a campaign of a million get the same answer. Adds when a refusal for the time of day ends.
public sealed class ContactPermission(IDbContextFactory<PayvandDb> dbFactory, Reachability reachability, PayvandSettings settings, TimeProvider clock)
{
    public async Task<ContactDecision> Check(int contactId, string channel, ContactPurpose purpose, CancellationToken ct, string? senderLine = null)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var row = await reachability.One(db, contactId, new ReachQuestion(channel, purpose, senderLine, now), ct);
        if (row is null) return new ContactDecision(false, "not-found");
        DateTime? next = null;
        if (row.Reason == ReachReason.OutsideBestTime)
        {
            var preferences = await db.Contacts.IgnoreQueryFilters().AsNoTracking().Where(c => c.Id == contactId).Select(c => c.Preferences).SingleAsync(ct);
            next = NextGoodTime(preferences, now, await settings.TimeZone(ct));
        }
        else if (row.Reason == ReachReason.QuietHours && (await settings.Get(ct)).QuietTo is { } quietTo)
        {
            var zone = await settings.TimeZone(ct);
            var local = TimeZoneInfo.ConvertTimeFromUtc(now, zone);
            var end = DateOnly.FromDateTime(local).ToDateTime(quietTo);
            if (end <= local) end = end.AddDays(1);
            next = TimeZoneInfo.ConvertTimeToUtc(end, zone);
        }

        return new ContactDecision(row.Reason == ReachReason.Eligible, Describe(row.Reason, purpose), row.Address, next);
    }

    // The reasons as the /may-contact API has always named them.
    public static string Describe(ReachReason reason, ContactPurpose purpose) => reason switch
    {
        ReachReason.Eligible => purpose == ContactPurpose.Transactional ? "transactional" : "opted-in",
        ReachReason.Deleted => "deleted",
        ReachReason.NoAddress => "no-address",
        ReachReason.OptedOut => "opted-out",
        ReachReason.NoConsent => "no-consent",
        ReachReason.Blocked => "blocked",
        ReachReason.QuietHours => "quiet-hours",
        ReachReason.OutsideBestTime => "outside-best-time",
        _ => "frequency-cap",
    };

    // The first instant at or after now that falls in the person's best days and hours (null: no preference, or none
    // within a week). A from later than to wraps past midnight (21:00-02:00).
    public static DateTime? NextGoodTime(ContactPreferences p, DateTime nowUtc, TimeZoneInfo zone)
    {
        if (p.BestDays == ContactDays.None && p.BestFrom is null && p.BestTo is null) return null;
        var local = TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(nowUtc, DateTimeKind.Utc), zone);
        var from = p.BestFrom ?? TimeOnly.MinValue;
        var to = p.BestTo ?? TimeOnly.MaxValue;
        var windows = from <= to
            ? [(from, to)]
            : new[] { (TimeOnly.MinValue, to), (from, TimeOnly.MaxValue) };
        for (var day = 0; day < 8; day++)
        {
            var date = DateOnly.FromDateTime(local).AddDays(day);
            if (p.BestDays != ContactDays.None && !p.BestDays.HasFlag(Reachability.DayFlag(date.DayOfWeek))) continue;
            foreach (var (start, end) in windows)
            {
                var candidate = day == 0 && local > date.ToDateTime(start) ? local : date.ToDateTime(start);
                if (candidate <= date.ToDateTime(end)) return TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(candidate, DateTimeKind.Unspecified), zone);
            }
        }

        return null;
    }
}
