using Microsoft.EntityFrameworkCore;
using Payvand.Modules.Contacts;
using Payvand.Modules.Messaging;
using Payvand.Platform.Persian;

namespace Payvand.Tests.Modules.Messaging.Automations;

// Birthday messages on the Jalali birthday with the test's clock, walking forward through the years (the clock never
// goes back, so the whole story is one test): once a year however often the daily run runs, on 1 Farvardin whichever
// Gregorian day that is, and on 29 Esfand for people born on 30 Esfand in the years that have no 30 Esfand.
[Trait("Category", "Integration")]
public sealed class BirthdayAutomationTests(MessagingApp app) : IClassFixture<MessagingApp>
{
    private static readonly TimeSpan Tehran = TimeSpan.FromHours(3.5);

    private static bool Leap(int year) => Jalali.DaysInMonth(year, 12) == 30;

    // 09:00 in Tehran on a Jalali day (the schedule's hour), or on a Gregorian one.
    private void At(int year, int month, int day) => At(Jalali.ToGregorian(year, month, day));

    private void At(DateOnly date) => app.Clock.SetUtcNow(new DateTimeOffset(date.ToDateTime(new TimeOnly(9, 0)), Tehran));

    private async Task<Contact> BornOn(int year, int month, int day) =>
        await app.Person(change: c => c.BirthDate = Jalali.ToGregorian(year, month, day));

    private async Task<List<(int ContactId, string? Occasion, DateOnly SentOn)>> Greetings(int automation) =>
        (await AutomationKit.Messages(app, automation))
        .Select(m => (m.ContactId!.Value, m.Occasion, DateOnly.FromDateTime(new DateTimeOffset(m.CreatedAt, TimeSpan.Zero).ToOffset(Tehran).DateTime)))
        .ToList();

    [Fact]
    public async Task People_are_greeted_once_a_year_on_their_Jalali_birthday()
    {
        var firstYear = Jalali.FromGregorian(DateOnly.FromDateTime(app.Clock.GetUtcNow().UtcDateTime)).Year; // 1405
        var nonLeap = Enumerable.Range(firstYear, 10).First(y => !Leap(y));
        var bornLeap = Enumerable.Range(1370, firstYear - 1370).Last(Leap);
        var template = await AutomationKit.Template(app, "{{ person.last_name }}، تولدت مبارک!", ContactPurpose.Promotional);
        var automation = await AutomationKit.Automation(app, "birthday", template, purpose: ContactPurpose.Promotional);
        var esfand30 = await BornOn(bornLeap, 12, 30);
        var esfand29 = await BornOn(1380, 12, 29);
        var nowruz = await BornOn(1370, 1, 1);
        var dayAfter = await BornOn(1370, 1, 2);
        var noBirthday = await app.Person();
        await using (var db = await app.Db())
        {
            // The setter of BirthDate keeps the Jalali month and day the daily query reads.
            Assert.Equal(1230, await db.Contacts.Where(c => c.Id == esfand30.Id).Select(c => c.BirthMonthDay).SingleAsync());
            Assert.Null(await db.Contacts.Where(c => c.Id == noBirthday.Id).Select(c => c.BirthMonthDay).SingleAsync());
        }

        // 29 Esfand of a year without 30 Esfand: those born on 29 and on 30 Esfand; run twice, greeted once.
        At(nonLeap, 12, 29);
        await AutomationKit.Daily(app);
        await AutomationKit.Daily(app);
        var occasion = $"birthday:{nonLeap}";
        Assert.Equal([(esfand30.Id, occasion), (esfand29.Id, occasion)], (await Greetings(automation)).Select(g => (g.ContactId, g.Occasion)).Order());
        var runs = await AutomationKit.Runs(app, automation);
        Assert.Equal([(2, 0), (0, 2)], runs.Select(r => (r.Queued, r.AlreadySent)));

        // 1 Farvardin: the next year's greeting for those born on it, none for the day after.
        At(nonLeap + 1, 1, 1);
        await AutomationKit.Daily(app);
        var first = Assert.Single(await Greetings(automation), g => g.ContactId == nowruz.Id);
        Assert.Equal(($"birthday:{nonLeap + 1}", Jalali.ToGregorian(nonLeap + 1, 1, 1)), (first.Occasion, first.SentOn));

        // A later year whose 1 Farvardin is another Gregorian day: run on both days, greeted on the Jalali one.
        var later = Enumerable.Range(nonLeap + 2, 10).First(y => Jalali.ToGregorian(y, 1, 1).Day != first.SentOn.Day);
        var nowruzDay = Jalali.ToGregorian(later, 1, 1);
        foreach (var day in new[] { new DateOnly(nowruzDay.Year, 3, Math.Min(nowruzDay.Day, first.SentOn.Day)), new DateOnly(nowruzDay.Year, 3, Math.Max(nowruzDay.Day, first.SentOn.Day)) })
        {
            At(day);
            await AutomationKit.Daily(app);
        }

        var greetings = (await Greetings(automation)).Where(g => g.ContactId == nowruz.Id).ToList();
        Assert.Equal([($"birthday:{nonLeap + 1}", first.SentOn), ($"birthday:{later}", nowruzDay)], greetings.Select(g => (g.Occasion, g.SentOn)));
        Assert.NotEqual(first.SentOn.Day, greetings[1].SentOn.Day);
        Assert.DoesNotContain(await Greetings(automation), g => g.ContactId == dayAfter.Id && g.Occasion == $"birthday:{nonLeap + 1}");

        // A leap year: 30 Esfand exists, so those born on it wait for it.
        var leap = Enumerable.Range(later + 1, 10).First(Leap);
        At(leap, 12, 29);
        await AutomationKit.Daily(app);
        Assert.DoesNotContain(await Greetings(automation), g => g.ContactId == esfand30.Id && g.Occasion == $"birthday:{leap}");
        Assert.Contains(await Greetings(automation), g => g.ContactId == esfand29.Id && g.Occasion == $"birthday:{leap}");
        At(leap, 12, 30);
        await AutomationKit.Daily(app);
        Assert.Contains(await Greetings(automation), g => g.ContactId == esfand30.Id && g.Occasion == $"birthday:{leap}" && g.SentOn == Jalali.ToGregorian(leap, 12, 30));
        Assert.Equal($"{esfand30.LastName}، تولدت مبارک!", (await AutomationKit.Messages(app, automation, esfand30.Id))[0].Body);
        Assert.Empty(await AutomationKit.Messages(app, automation, noBirthday.Id));
    }
}
