using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Payvand.Modules.Contacts;
using Payvand.Platform.Data;
using Payvand.Platform.Errors;
using Payvand.Platform.Settings;
using Payvand.Tests.Infrastructure;

namespace Payvand.Tests.Modules.Contacts;

// Reachability rule by rule, each on people made for the test (a set of their ids), on SQLite and PostgreSQL; then the
// counts, pages and ContactPermission (the one-person form) over the same rules. The business zone is Asia/Tehran
// (UTC+03:30, no daylight saving since 2022); 2026-12-05 is a Saturday, 2026-12-03 a Thursday.
[Trait("Category", "Integration")]
public sealed class ReachabilityTests(PayvandApp app) : IClassFixture<PayvandApp>
{
    private static readonly DateTime SaturdayNoon = Tehran(5, 12);

    private static DateTime Tehran(int day, int hour, int minute = 0) => new DateTime(2026, 12, day, hour, minute, 0, DateTimeKind.Utc).AddHours(-3.5);

    private static string NewMobile() => "+989" + Random.Shared.NextInt64(100_000_000, 999_999_999);

    private async Task Settings(TimeOnly? quietFrom = null, TimeOnly? quietTo = null, int? cap = null) =>
        await app.Services.GetRequiredService<PayvandSettings>().Save(new BusinessSettings { QuietFrom = quietFrom, QuietTo = quietTo, WeeklyPromotionalCap = cap });

    // A person with a mobile (unless given other points), promotional SMS consent as given, saved.
    private async Task<Contact> Person(
        ConsentStatus sms = ConsentStatus.OptedIn, ContactPoint[]? points = null, Action<Contact>? change = null)
    {
        await using var db = await app.Db();
        var contact = new Contact { LastName = "رسیدنی " + Guid.NewGuid().ToString("N")[..6], BranchId = app.MainBranchId };
        var mobile = NewMobile();
        contact.Points.AddRange(points ?? [new ContactPoint { Kind = ContactPointKind.Mobile, Value = mobile, NormalizedValue = mobile, IsPrimary = true }]);
        if (sms != ConsentStatus.Unknown) contact.SetConsent(ConsentChannel.Sms, ContactPurpose.Promotional, sms, "test", SaturdayNoon.AddDays(-30), null);
        change?.Invoke(contact);
        db.Contacts.Add(contact);
        await db.SaveChangesAsync();
        return contact;
    }

    private async Task<ReachRow> One(Contact person, ContactPurpose purpose = ContactPurpose.Promotional, DateTime? at = null, string? line = null, string channel = ConsentChannel.Sms)
    {
        await using var db = await app.Db();
        var reach = app.Services.GetRequiredService<Reachability>();
        return (await reach.One(db, person.Id, new ReachQuestion(channel, purpose, line, at ?? SaturdayNoon), CancellationToken.None))!;
    }

    private async Task<ReachReason> Reason(Contact person, ContactPurpose purpose = ContactPurpose.Promotional, DateTime? at = null, string? line = null) =>
        (await One(person, purpose, at, line)).Reason;

    private async Task Block(string address, string? line)
    {
        await using var db = await app.Db();
        Reachability.Block(db, address, line, "test", SaturdayNoon.AddDays(-1));
        await db.SaveChangesAsync();
    }

    [Fact]
    public async Task An_opted_in_person_with_a_mobile_is_eligible_with_their_primary_mobile()
    {
        await Settings();
        var other = NewMobile();
        var person = await Person(change: c => c.Points.Add(new ContactPoint { Kind = ContactPointKind.Mobile, Value = other, NormalizedValue = other }));
        var row = await One(person);
        Assert.Equal(ReachReason.Eligible, row.Reason);
        Assert.Equal(person.Points.Single(p => p.IsPrimary).NormalizedValue, row.Address);
    }

    [Fact]
    public async Task No_address_of_a_kind_that_reaches_the_channel()
    {
        await Settings();
        var email = $"r{Guid.NewGuid():N}@example.com";
        var person = await Person(points: [new ContactPoint { Kind = ContactPointKind.Email, Value = email, NormalizedValue = email, IsPrimary = true }]);
        Assert.Equal(ReachReason.NoAddress, await Reason(person));
        Assert.Equal(ReachReason.NoAddress, await Reason(person, ContactPurpose.Transactional));
        // A call reaches a landline too.
        var landline = await Person(points: [new ContactPoint { Kind = ContactPointKind.Phone, Value = "02188776655", NormalizedValue = "+982188776655", IsPrimary = true }]);
        Assert.Equal(ReachReason.Eligible, (await One(landline, ContactPurpose.Transactional, channel: ConsentChannel.Call)).Reason);
        Assert.Equal(ReachReason.NoAddress, await Reason(landline, ContactPurpose.Transactional));
    }

    [Fact]
    public async Task Promotional_messages_need_an_opt_in_and_transactional_ones_only_no_opt_out()
    {
        await Settings();
        var unknown = await Person(ConsentStatus.Unknown);
        Assert.Equal(ReachReason.NoConsent, await Reason(unknown));
        Assert.Equal(ReachReason.Eligible, await Reason(unknown, ContactPurpose.Transactional));

        var optedOut = await Person(ConsentStatus.OptedOut);
        Assert.Equal(ReachReason.OptedOut, await Reason(optedOut));
        // Withdrawing marketing consent does not stop receipts...
        Assert.Equal(ReachReason.Eligible, await Reason(optedOut, ContactPurpose.Transactional));

        // ...an explicit opt-out of transactional messages does, and leaves promotional consent as it was.
        var refusesReceipts = await Person(change: c => c.SetConsent(ConsentChannel.Sms, ContactPurpose.Transactional, ConsentStatus.OptedOut, "test", SaturdayNoon, null));
        Assert.Equal(ReachReason.OptedOut, await Reason(refusesReceipts, ContactPurpose.Transactional));
        Assert.Equal(ReachReason.Eligible, await Reason(refusesReceipts));
    }

    [Fact]
    public async Task Consent_on_one_channel_says_nothing_of_another()
    {
        await Settings();
        var email = $"r{Guid.NewGuid():N}@example.com";
        var mobile = NewMobile();
        var person = await Person(points:
        [
            new ContactPoint { Kind = ContactPointKind.Mobile, Value = mobile, NormalizedValue = mobile, IsPrimary = true },
            new ContactPoint { Kind = ContactPointKind.Email, Value = email, NormalizedValue = email, IsPrimary = true },
        ]);
        Assert.Equal(ReachReason.NoConsent, (await One(person, channel: ConsentChannel.Email)).Reason);
        Assert.Equal((ReachReason.Eligible, mobile), ((await One(person)).Reason, (await One(person)).Address));
    }

    [Fact]
    public async Task An_address_blocked_on_every_line_or_on_the_sender_line_is_not_used_for_promotional_messages()
    {
        await Settings();
        var everywhere = await Person();
        await Block(everywhere.Points[0].NormalizedValue, null);
        Assert.Equal(ReachReason.Blocked, await Reason(everywhere, line: "3000123"));
        Assert.Equal(ReachReason.Blocked, await Reason(everywhere));
        Assert.Equal(ReachReason.Eligible, await Reason(everywhere, ContactPurpose.Transactional, line: "3000123"));

        var oneLine = await Person();
        await Block(oneLine.Points[0].NormalizedValue, "3000123");
        Assert.Equal(ReachReason.Blocked, await Reason(oneLine, line: "3000123"));
        Assert.Equal(ReachReason.Eligible, await Reason(oneLine, line: "3000999"));
        Assert.Equal(ReachReason.Eligible, await Reason(oneLine));

        // With two mobiles, the one that is not blocked is used.
        var second = NewMobile();
        var twoMobiles = await Person(change: c => c.Points.Add(new ContactPoint { Kind = ContactPointKind.Mobile, Value = second, NormalizedValue = second }));
        await Block(twoMobiles.Points.Single(p => p.IsPrimary).NormalizedValue, null);
        Assert.Equal((ReachReason.Eligible, second), ((await One(twoMobiles)).Reason, (await One(twoMobiles)).Address));
    }

    [Fact]
    public async Task Quiet_hours_hold_promotional_messages_and_wrap_past_midnight()
    {
        var person = await Person();
        await Settings(new TimeOnly(22, 0), new TimeOnly(8, 0));
        try
        {
            Assert.Equal(ReachReason.QuietHours, await Reason(person, at: Tehran(5, 22, 0)));
            Assert.Equal(ReachReason.QuietHours, await Reason(person, at: Tehran(5, 23, 30)));
            Assert.Equal(ReachReason.QuietHours, await Reason(person, at: Tehran(6, 7, 59)));
            Assert.Equal(ReachReason.Eligible, await Reason(person, at: Tehran(6, 8, 0)));
            Assert.Equal(ReachReason.Eligible, await Reason(person, at: Tehran(5, 21, 59)));
            Assert.Equal(ReachReason.Eligible, await Reason(person, ContactPurpose.Transactional, at: Tehran(5, 23, 30)));

            await Settings(new TimeOnly(13, 0), new TimeOnly(16, 0));
            Assert.Equal(ReachReason.QuietHours, await Reason(person, at: Tehran(5, 14, 0)));
            Assert.Equal(ReachReason.Eligible, await Reason(person, at: Tehran(5, 23, 30)));
        }
        finally
        {
            await Settings();
        }
    }

    [Fact]
    public async Task Outside_the_persons_best_days_and_hours()
    {
        await Settings();
        var weekdays = ContactDays.Saturday | ContactDays.Sunday | ContactDays.Monday | ContactDays.Tuesday | ContactDays.Wednesday;
        var office = await Person(change: c => c.Preferences = new ContactPreferences { BestDays = weekdays, BestFrom = new TimeOnly(9, 0), BestTo = new TimeOnly(18, 0) });
        Assert.Equal(ReachReason.Eligible, await Reason(office, at: Tehran(5, 10, 0)));
        Assert.Equal(ReachReason.Eligible, await Reason(office, at: Tehran(5, 18, 0)));
        Assert.Equal(ReachReason.OutsideBestTime, await Reason(office, at: Tehran(5, 8, 59)));
        Assert.Equal(ReachReason.OutsideBestTime, await Reason(office, at: Tehran(5, 18, 1)));
        Assert.Equal(ReachReason.OutsideBestTime, await Reason(office, at: Tehran(3, 12, 0))); // Thursday
        Assert.Equal(ReachReason.Eligible, await Reason(office, ContactPurpose.Transactional, at: Tehran(3, 12, 0)));

        var nightOwl = await Person(change: c => c.Preferences = new ContactPreferences { BestFrom = new TimeOnly(21, 0), BestTo = new TimeOnly(2, 0) });
        Assert.Equal(ReachReason.Eligible, await Reason(nightOwl, at: Tehran(5, 23, 0)));
        Assert.Equal(ReachReason.Eligible, await Reason(nightOwl, at: Tehran(5, 1, 30)));
        Assert.Equal(ReachReason.OutsideBestTime, await Reason(nightOwl, at: Tehran(5, 3, 0)));

        var fridays = await Person(change: c => c.Preferences = new ContactPreferences { BestDays = ContactDays.Friday });
        Assert.Equal(ReachReason.Eligible, await Reason(fridays, at: Tehran(4, 12, 0)));
        Assert.Equal(ReachReason.OutsideBestTime, await Reason(fridays, at: Tehran(5, 12, 0)));
    }

    [Fact]
    public async Task The_weekly_cap_counts_promotional_messages_of_the_channel_in_the_last_seven_days()
    {
        var capped = await Person();
        var old = await Person();
        await using (var db = await app.Db())
        {
            Reachability.RecordPromotional(db, capped.Id, ConsentChannel.Sms, SaturdayNoon.AddDays(-1));
            Reachability.RecordPromotional(db, capped.Id, ConsentChannel.Sms, SaturdayNoon.AddDays(-6));
            Reachability.RecordPromotional(db, old.Id, ConsentChannel.Sms, SaturdayNoon.AddDays(-1));
            Reachability.RecordPromotional(db, old.Id, ConsentChannel.Sms, SaturdayNoon.AddDays(-8));
            Reachability.RecordPromotional(db, old.Id, ConsentChannel.Email, SaturdayNoon.AddDays(-2));
            await db.SaveChangesAsync();
        }

        await Settings(cap: 2);
        try
        {
            Assert.Equal(ReachReason.FrequencyCap, await Reason(capped));
            Assert.Equal(ReachReason.Eligible, await Reason(old));
            Assert.Equal(ReachReason.Eligible, await Reason(capped, ContactPurpose.Transactional));
            // A week after the older send it no longer counts.
            Assert.Equal(ReachReason.Eligible, await Reason(capped, at: SaturdayNoon.AddDays(1.5)));
            await Settings();
            Assert.Equal(ReachReason.Eligible, await Reason(capped));
        }
        finally
        {
            await Settings();
        }
    }

    [Fact]
    public async Task A_deleted_person_is_never_reached()
    {
        await Settings();
        var person = await Person(change: c => c.DeletedAt = SaturdayNoon.AddDays(-1));
        Assert.Equal(ReachReason.Deleted, await Reason(person));
        Assert.Equal(ReachReason.Deleted, await Reason(person, ContactPurpose.Transactional));
    }

    [Fact]
    public async Task A_set_is_counted_by_reason_in_one_answer_and_read_a_page_at_a_time()
    {
        await Settings();
        var email = $"r{Guid.NewGuid():N}@example.com";
        var people = new List<Contact>
        {
            await Person(), await Person(), await Person(),
            await Person(ConsentStatus.Unknown), await Person(ConsentStatus.Unknown),
            await Person(ConsentStatus.OptedOut),
            await Person(points: [new ContactPoint { Kind = ContactPointKind.Email, Value = email, NormalizedValue = email, IsPrimary = true }]),
            await Person(change: c => c.DeletedAt = SaturdayNoon),
        };
        var blocked = await Person();
        await Block(blocked.Points[0].NormalizedValue, null);
        people.Add(blocked);
        var ids = people.Select(p => p.Id).ToList();

        await using var db = await app.Db();
        var reach = app.Services.GetRequiredService<Reachability>();
        var set = db.Contacts.IgnoreQueryFilters().Where(c => ids.Contains(c.Id)).Select(c => c.Id);
        var question = new ReachQuestion(ConsentChannel.Sms, ContactPurpose.Promotional, null, SaturdayNoon);
        var summary = await reach.Count(db, set, question, CancellationToken.None);
        Assert.Equal((9, 3), (summary.Total, summary.Eligible));
        var counts = summary.Reasons.ToDictionary(r => r.Reason, r => r.Count);
        Assert.Equal(Enum.GetValues<ReachReason>().Length, counts.Count);
        Assert.Equal((2, 1, 1, 1, 1, 0), (counts[ReachReason.NoConsent], counts[ReachReason.OptedOut], counts[ReachReason.NoAddress], counts[ReachReason.Deleted],
            counts[ReachReason.Blocked], counts[ReachReason.QuietHours]));

        var first = await reach.Page(db, set, question, eligible: true, afterId: 0, size: 2, CancellationToken.None);
        var rest = await reach.Page(db, set, question, eligible: true, afterId: first[^1].ContactId, size: 2, CancellationToken.None);
        Assert.Equal(people.Take(3).Select(p => (p.Id, p.Points[0].NormalizedValue)), first.Concat(rest).Select(r => (r.ContactId, r.Address!)));
        var refused = await reach.Page(db, set, question, eligible: false, afterId: 0, size: 100, CancellationToken.None);
        Assert.Equal(
            [ReachReason.NoConsent, ReachReason.NoConsent, ReachReason.OptedOut, ReachReason.NoAddress, ReachReason.Deleted, ReachReason.Blocked],
            refused.Select(r => r.Reason));

        var transactional = await reach.Count(db, set, question with { Purpose = ContactPurpose.Transactional }, CancellationToken.None);
        Assert.Equal((9, 7), (transactional.Total, transactional.Eligible));
    }

    [Fact]
    public async Task Everyone_counted_from_the_narrow_rows_alone_is_everyone_counted_with_the_people()
    {
        await Settings(cap: 1);
        await Person();
        await Person(ConsentStatus.OptedOut);
        await Person(change: c => c.DeletedAt = SaturdayNoon);
        var capped = await Person();
        await using var db = await app.Db();
        Reachability.RecordPromotional(db, capped.Id, ConsentChannel.Sms, SaturdayNoon.AddDays(-1));
        await db.SaveChangesAsync();
        var reach = app.Services.GetRequiredService<Reachability>();
        foreach (var question in new[]
        {
            new ReachQuestion(ConsentChannel.Sms, ContactPurpose.Promotional, null, SaturdayNoon),
            new ReachQuestion(ConsentChannel.Sms, ContactPurpose.Transactional, null, SaturdayNoon),
            new ReachQuestion(ConsentChannel.Email, ContactPurpose.Promotional, "3000123", SaturdayNoon),
        })
        {
            var everyone = await reach.CountEveryone(db, null, question, CancellationToken.None);
            Assert.Equal((await reach.Count(db, db.Contacts, question, CancellationToken.None)).Reasons, everyone.Reasons);
            var branch = await reach.CountEveryone(db, [app.MainBranchId], question, CancellationToken.None);
            Assert.Equal((await reach.Count(db, db.Contacts.Where(c => c.BranchId == app.MainBranchId), question, CancellationToken.None)).Reasons, branch.Reasons);
        }

        var sms = await reach.CountEveryone(db, null, new ReachQuestion(ConsentChannel.Sms, ContactPurpose.Promotional, null, SaturdayNoon), CancellationToken.None);
        Assert.True(sms.Reasons.Single(r => r.Reason == ReachReason.FrequencyCap).Count >= 1);
        Assert.True(sms.Reasons.Single(r => r.Reason == ReachReason.OptedOut).Count >= 1);
        Assert.Equal(0, sms.Reasons.Single(r => r.Reason == ReachReason.Deleted).Count);
    }

    [Fact]
    public async Task Sends_older_than_the_caps_window_are_removed_by_the_nightly_cleanup_and_the_weeks_stay()
    {
        var person = await Person();
        // Whole seconds: PostgreSQL keeps microseconds, .NET ticks.
        var clock = app.Services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
        var now = new DateTime(clock.Year, clock.Month, clock.Day, clock.Hour, clock.Minute, clock.Second, DateTimeKind.Utc);
        await using (var db = await app.Db())
        {
            Reachability.RecordPromotional(db, person.Id, ConsentChannel.Sms, now.AddDays(-9));
            Reachability.RecordPromotional(db, person.Id, ConsentChannel.Sms, now.AddDays(-6));
            await db.SaveChangesAsync();
        }

        Assert.True(await app.Services.GetRequiredService<PromotionalSendsCleanup>().RemoveOld(CancellationToken.None) >= 1);
        await using (var db = await app.Db())
        {
            var left = await db.PromotionalContacts.Where(s => s.ContactId == person.Id).Select(s => s.SentAt).ToListAsync();
            Assert.Equal([now.AddDays(-6)], left.Select(t => DateTime.SpecifyKind(t, DateTimeKind.Utc)));
        }
    }

    [Fact]
    public async Task An_unknown_channel_or_purpose_is_a_field_error()
    {
        await using var db = await app.Db();
        var reach = app.Services.GetRequiredService<Reachability>();
        var set = db.Contacts.Select(c => c.Id);
        var channel = await Assert.ThrowsAsync<ValidationException>(() => reach.Count(db, set, new ReachQuestion("pigeon", ContactPurpose.Promotional), CancellationToken.None));
        Assert.Contains("sms, email, call, fax", channel.Errors["channel"].Single(), StringComparison.Ordinal);
        var purpose = await Assert.ThrowsAsync<ValidationException>(() => reach.Count(db, set, new ReachQuestion("SMS", (ContactPurpose)7), CancellationToken.None));
        Assert.Equal(["purpose"], purpose.Errors.Keys);
    }

    [Fact]
    public async Task A_channel_added_as_data_is_asked_about_like_the_seeded_ones()
    {
        await Settings();
        await using (var db = await app.Db())
        {
            if (!await db.Channels.AnyAsync(c => c.Key == "whatsapp"))
            {
                db.Channels.Add(new ConsentChannel { Key = "whatsapp", Name = "WhatsApp", Kinds = "Mobile", SortOrder = 9, Bit = 7 });
                await db.SaveChangesAsync();
            }
        }

        var person = await Person(change: c => c.SetConsent("whatsapp", ContactPurpose.Promotional, ConsentStatus.OptedIn, "test", SaturdayNoon, null));
        var unknown = await Person();
        Assert.Equal((ReachReason.Eligible, person.Points[0].NormalizedValue), ((await One(person, channel: "whatsapp")).Reason, (await One(person, channel: "WhatsApp")).Address));
        Assert.Equal(ReachReason.NoConsent, (await One(unknown, channel: "whatsapp")).Reason);
    }

    [Fact]
    public async Task ContactPermission_answers_for_one_person_by_the_same_rules_and_says_when_they_may_be_reached()
    {
        await Settings();
        var clock = new FakeTimeProvider(new DateTimeOffset(Tehran(3, 12, 0))); // Thursday noon
        var permission = ActivatorUtilities.CreateInstance<ContactPermission>(app.Services, (TimeProvider)clock);
        var weekdays = ContactDays.Saturday | ContactDays.Sunday;
        var person = await Person(change: c => c.Preferences = new ContactPreferences { BestDays = weekdays, BestFrom = new TimeOnly(9, 0), BestTo = new TimeOnly(18, 0) });

        var now = await permission.Check(person.Id, ConsentChannel.Sms, ContactPurpose.Promotional, CancellationToken.None);
        Assert.Equal(new ContactDecision(false, "outside-best-time", person.Points[0].NormalizedValue, Tehran(5, 9, 0)), now);
        Assert.Equal(new ContactDecision(true, "transactional", person.Points[0].NormalizedValue),
            await permission.Check(person.Id, "sms", ContactPurpose.Transactional, CancellationToken.None));
        clock.SetUtcNow(new DateTimeOffset(Tehran(5, 9, 30)));
        Assert.Equal(new ContactDecision(true, "opted-in", person.Points[0].NormalizedValue),
            await permission.Check(person.Id, ConsentChannel.Sms, ContactPurpose.Promotional, CancellationToken.None));
        Assert.Equal("no-address", (await permission.Check(person.Id, ConsentChannel.Email, ContactPurpose.Promotional, CancellationToken.None)).Reason);
        Assert.Equal(new ContactDecision(false, "not-found"), await permission.Check(int.MaxValue, ConsentChannel.Sms, ContactPurpose.Promotional, CancellationToken.None));

        await Settings(new TimeOnly(22, 0), new TimeOnly(8, 0));
        try
        {
            clock.SetUtcNow(new DateTimeOffset(Tehran(5, 23, 0)));
            var quiet = await permission.Check(person.Id, ConsentChannel.Sms, ContactPurpose.Promotional, CancellationToken.None);
            Assert.Equal((false, "quiet-hours", (DateTime?)Tehran(6, 8, 0)), (quiet.Allowed, quiet.Reason, quiet.NextAllowedAt));
        }
        finally
        {
            await Settings();
        }
    }

    [Theory]
    [InlineData(3, 12, 0, 5, 9, 0)] // Thursday noon: Saturday 09:00
    [InlineData(5, 8, 0, 5, 9, 0)] // Saturday before the window: the same day
    [InlineData(5, 10, 15, 5, 10, 15)] // inside: now
    [InlineData(6, 18, 30, 12, 9, 0)] // Sunday after the window: next Saturday
    public void NextGoodTime_is_the_first_instant_in_the_best_days_and_hours(int day, int hour, int minute, int nextDay, int nextHour, int nextMinute)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById("Asia/Tehran");
        var p = new ContactPreferences { BestDays = ContactDays.Saturday | ContactDays.Sunday, BestFrom = new TimeOnly(9, 0), BestTo = new TimeOnly(18, 0) };
        Assert.Equal(Tehran(nextDay, nextHour, nextMinute), ContactPermission.NextGoodTime(p, Tehran(day, hour, minute), zone));
        Assert.Null(ContactPermission.NextGoodTime(new ContactPreferences(), Tehran(day, hour, minute), zone));
    }

    [Theory]
    [InlineData(22, 0, 8, 0, 23, 0, true)]
    [InlineData(22, 0, 8, 0, 8, 0, false)]
    [InlineData(22, 0, 8, 0, 21, 59, false)]
    [InlineData(1, 0, 5, 0, 3, 0, true)]
    [InlineData(1, 0, 5, 0, 6, 0, false)]
    public void Quiet_hours_are_read_in_the_business_time(int fromH, int fromM, int toH, int toM, int h, int m, bool quiet) =>
        Assert.Equal(quiet, Reachability.InQuietHours(new BusinessSettings { QuietFrom = new TimeOnly(fromH, fromM), QuietTo = new TimeOnly(toH, toM) }, new TimeOnly(h, m)));
}
