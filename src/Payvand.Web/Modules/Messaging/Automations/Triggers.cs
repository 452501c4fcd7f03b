using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Payvand.Modules.Contacts;
using Payvand.Modules.Purchases;
using Payvand.Platform.Data;
using Payvand.Platform.Persian;

namespace Payvand.Modules.Messaging.Automations;

// Welcome (خوش‌آمدگویی): once per person, after they are created one at a time (sign-up: the form, the API, a web
// form, a purchase that creates them; not an import of existing people) or after their first purchase.
public sealed class WelcomeTrigger(TimeProvider clock) : IAutomationEventTrigger<ContactCreated>, IAutomationEventTrigger<PurchaseRecorded>
{
    public const string AfterSignUp = "signup";
    public const string AfterFirstPurchase = "first-purchase";

    public string Key => "welcome";

    public string Label => "Welcome";

    public string Description => "Once per person, after they sign up or after their first purchase.";

    public IReadOnlyList<TriggerParameter> Parameters { get; } =
    [
        new("after", "Send after", TriggerParameterKind.Choice, AfterSignUp) { Choices = [new(AfterSignUp, "After sign-up"), new(AfterFirstPurchase, "After the first purchase")] },
        new("maxAgeHours", "Only purchases recorded within (hours)", TriggerParameterKind.WholeNumber, "24") { Min = 1, Max = 720, WhenName = "after", WhenValue = AfterFirstPurchase },
    ];

    public Task<IReadOnlyList<AutomationOccurrence>> Find(ContactCreated domainEvent, AutomationParameters parameters, PayvandDb db, CancellationToken ct) =>
        Task.FromResult<IReadOnlyList<AutomationOccurrence>>(parameters.Text("after") == AfterSignUp ? [new(domainEvent.ContactId, "welcome")] : []);

    public async Task<IReadOnlyList<AutomationOccurrence>> Find(PurchaseRecorded domainEvent, AutomationParameters parameters, PayvandDb db, CancellationToken ct)
    {
        if (parameters.Text("after") != AfterFirstPurchase || domainEvent.ContactId is not { } contactId) return [];
        if (domainEvent.OccurredAt < clock.GetUtcNow().UtcDateTime.AddHours(-parameters.Whole("maxAgeHours"))) return []; // history brought in later
        var earlier = await db.Purchases.AnyAsync(x => x.ContactId == contactId && x.Id < domainEvent.PurchaseId, ct);
        return earlier ? [] : [new(contactId, "welcome")];
    }
}

// Thank-you (پیام تشکر) after each purchase of a person, occasion "purchase:{id}". Purchases brought in as history
// (recorded long after they happened) get none.
public sealed class ThankYouTrigger(TimeProvider clock) : IAutomationEventTrigger<PurchaseRecorded>
{
    public string Key => "thank-you";

    public string Label => "Thank you after a purchase";

    public string Description => "After each purchase of a person; the template may use {{ amount }} (rials) and {{ purchase_id }}.";

    public IReadOnlyList<TriggerParameter> Parameters { get; } =
    [
        new("minTotal", "Minimum purchase total (rials)", TriggerParameterKind.WholeNumber, "0") { Min = 0, Max = int.MaxValue },
        new("maxAgeHours", "Only purchases recorded within (hours)", TriggerParameterKind.WholeNumber, "24") { Min = 1, Max = 720 },
    ];

    public IReadOnlyList<string> Values => ["amount", "purchase_id"];

    public Task<IReadOnlyList<AutomationOccurrence>> Find(PurchaseRecorded domainEvent, AutomationParameters parameters, PayvandDb db, CancellationToken ct)
    {
        if (domainEvent.ContactId is not { } contactId || domainEvent.Total < parameters.Whole("minTotal")
            || domainEvent.OccurredAt < clock.GetUtcNow().UtcDateTime.AddHours(-parameters.Whole("maxAgeHours")))
        {
            return Task.FromResult<IReadOnlyList<AutomationOccurrence>>([]);
        }

        var values = new Dictionary<string, string?>
        {
            ["amount"] = domainEvent.Total.ToString(CultureInfo.InvariantCulture),
            ["purchase_id"] = domainEvent.PurchaseId.ToString(CultureInfo.InvariantCulture),
        };
        return Task.FromResult<IReadOnlyList<AutomationOccurrence>>([new(contactId, "purchase:" + domainEvent.PurchaseId.ToString(CultureInfo.InvariantCulture), values)]);
    }
}

// Birthday (پیام تولد) on the Jalali birthday, occasion "birthday:{Jalali year}": the people whose stored Jalali month and
// day (Contact.BirthMonthDay) is today's, in one indexed query. Born on 30 Esfand (a leap year's last day): in a year
// without it, greeted on 29 Esfand, the year's last day.
public sealed class BirthdayTrigger : IScheduledAutomationTrigger
{
    public string Key => "birthday";

    public string Label => "Birthday";

    public string Description => "On the person's birthday in the Jalali calendar, once a year (born on 30 Esfand: on 29 Esfand in other years).";

    public IReadOnlyList<TriggerParameter> Parameters { get; } = [];

    public static int[] MonthDaysOf(DateOnly today)
    {
        var (year, month, day) = Jalali.FromGregorian(today);
        return month == 12 && day == 29 && Jalali.DaysInMonth(year, 12) == 29 ? [1229, 1230] : [month * 100 + day];
    }

    public async Task<IReadOnlyList<AutomationOccurrence>> Find(AutomationParameters parameters, AutomationDay day, PayvandDb db, CancellationToken ct)
    {
        var monthDays = MonthDaysOf(day.Today);
        var occasion = "birthday:" + Jalali.FromGregorian(day.Today).Year.ToString(CultureInfo.InvariantCulture);
        var ids = await db.Contacts.AsNoTracking()
            .Where(c => c.BirthMonthDay != null && monthDays.Contains(c.BirthMonthDay.Value) && c.BirthDate < day.Today)
            .OrderBy(c => c.Id).Select(c => c.Id).ToListAsync(ct);
        return ids.Select(id => new AutomationOccurrence(id, occasion)).ToList();
    }
}

// We miss you (دلتنگ شما هستیم): people whose last purchase is N days ago or more, N fixed or their own rhythm (factor
// times their mean gap between purchases, at least minDays, for people with minPurchases purchases), lapsed within the
// last windowDays days; occasion "miss:{date of the last purchase}", so once per lapse. One query on the purchase summary.
public sealed class MissYouTrigger : IScheduledAutomationTrigger
{
    public const string Fixed = "fixed";
    public const string Relative = "relative";

    public string Key => "miss-you";

    public string Label => "We miss you";

    public string Description => "When a person has not bought for a number of days, fixed or relative to their own usual interval between purchases; once per lapse. The template may use {{ days }}.";

    public IReadOnlyList<TriggerParameter> Parameters { get; } =
    [
        new("mode", "Days without a purchase", TriggerParameterKind.Choice, Fixed) { Choices = [new(Fixed, "A fixed number of days"), new(Relative, "Relative to the person's usual interval")] },
        new("days", "Days since the last purchase", TriggerParameterKind.WholeNumber, "60") { Min = 1, Max = 3650, WhenName = "mode", WhenValue = Fixed },
        new("factor", "Times the person's usual interval", TriggerParameterKind.Number, "2") { Min = 1, Max = 20, WhenName = "mode", WhenValue = Relative },
        new("minPurchases", "Minimum number of purchases", TriggerParameterKind.WholeNumber, "3") { Min = 2, Max = 1000, WhenName = "mode", WhenValue = Relative },
        new("minDays", "At least (days)", TriggerParameterKind.WholeNumber, "14") { Min = 1, Max = 3650, WhenName = "mode", WhenValue = Relative },
        new("windowDays", "Only lapses that began within (days)", TriggerParameterKind.WholeNumber, "30") { Min = 1, Max = 3650 },
    ];

    public IReadOnlyList<string> Values => ["days"];

    public async Task<IReadOnlyList<AutomationOccurrence>> Find(AutomationParameters parameters, AutomationDay day, PayvandDb db, CancellationToken ct)
    {
        var rule = parameters.Text("mode") == Relative
            ? new LapseRule(null, parameters.Number("factor"), parameters.Whole("minPurchases"), parameters.Whole("minDays"), parameters.Whole("windowDays"))
            : new LapseRule(parameters.Whole("days"), null, 1, 0, parameters.Whole("windowDays"));
        var lapsed = await LapsedBuyers.Find(db, rule, day.Now, ct);
        return lapsed.Select(l =>
        {
            var last = DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(l.LastPurchaseAt, day.Zone));
            var values = new Dictionary<string, string?> { ["days"] = (day.Today.DayNumber - last.DayNumber).ToString(CultureInfo.InvariantCulture) };
            return new AutomationOccurrence(l.Id, "miss:" + last.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), values);
        }).ToList();
    }
}
