using System.Globalization;
using Payvand.Platform.Persian;
using Payvand.Platform.Segments;

namespace Payvand.Modules.Contacts;

// Segment fields of the person that the SegmentField builders do not cover: promotional consent on a channel (an opt-in,
// an opt-out, or nothing decided), and birthdays by the Jalali calendar, which recur on their Jalali month and day.
internal static class ContactSegmentCriteria
{
    // Promotional consent on a channel: people whose status is one of (or none of) the chosen; Unknown is also everyone
    // without a row for the channel.
    public static ISegmentField Consent(string channel) => SegmentField.Custom(
        "contacts.consent." + channel, "Consent on " + channel, "Consent", SegmentValueType.Choice, SegmentField.ChoiceOperators,
        [.. Enum.GetValues<ConsentStatus>().Select(s => new SegmentChoice(s.ToString(), "Consent." + s))],
        (db, op, values, _) =>
        {
            var chosen = values.Select(Enum.Parse<ConsentStatus>).ToList();
            var decided = db.ContactConsents.Where(x => x.Channel == channel && x.Purpose == ContactPurpose.Promotional && x.Status != ConsentStatus.Unknown);
            var statuses = chosen.Where(s => s != ConsentStatus.Unknown).ToList();
            var unknown = chosen.Contains(ConsentStatus.Unknown);
            var matching = db.Contacts.Where(c => decided.Any(x => x.ContactId == c.Id && statuses.Contains(x.Status)) || (unknown && !decided.Any(x => x.ContactId == c.Id)));
            return (op == SegmentOperator.In ? matching : db.Contacts.Where(c => !matching.Any(m => m.Id == c.Id))).Select(c => c.Id);
        });

    // The Jalali month of birth, 1 (Farvardin) to 12 (Esfand), from the person's stored Jalali month and day.
    public static ISegmentField BirthMonth() => SegmentField.Number(
        "contacts.birthMonth", "Birth month (Jalali, 1-12)", "Person", db => db.Contacts.Where(c => c.BirthMonthDay != null), c => c.Id, c => c.BirthMonthDay!.Value / 100);

    // People whose birthday falls within the next N days (0: today), counted in the business time zone: the Jalali month
    // and days of the window, tested against the stored month and day (an index range or a short IN list).
    public static ISegmentField BirthdayWithin() => SegmentField.Custom(
        "contacts.birthdayWithin", "Birthday within the next days", "Person", SegmentValueType.Number, [SegmentOperator.AtMost], [],
        (db, _, values, context) =>
        {
            var days = int.Parse(PersianText.ToLatinDigits(values[0]).Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(context.NowUtc, context.Zone));
            var monthDays = Enumerable.Range(0, Math.Clamp(days, 0, 365) + 1)
                .Select(i => Jalali.FromGregorian(today.AddDays(i)))
                .Select(d => (int?)(d.Month * 100 + d.Day))
                .ToList();
            return db.Contacts.Where(c => monthDays.Contains(c.BirthMonthDay)).Select(c => c.Id);
        });

    // The person's branch, by id or by name (as typed in the rule builder).
    public static ISegmentField Branch() => SegmentField.Set("contacts.branch", "Branch", "Person", db => db.Contacts.Select(c => c.Id), (db, values) =>
    {
        var ids = SegmentField.Ids(values);
        var branches = db.Branches.Where(b => ids.Contains(b.Id) || values.Contains(b.Name)).Select(b => b.Id);
        return db.Contacts.Where(c => branches.Contains(c.BranchId)).Select(c => c.Id);
    });
}
