using Microsoft.EntityFrameworkCore;
using Payvand.Modules.Contacts;

namespace Payvand.Tests.Modules.Messaging.Automations;

// "We miss you": people whose last purchase is N days ago or more, N fixed or twice their own mean interval between
// purchases, once per lapse (occasion: the date of the last purchase), found from the purchase summary in one query.
[Trait("Category", "Integration")]
public sealed class MissYouAutomationTests(MessagingApp app) : IClassFixture<MessagingApp>
{
    // A buyer: count purchases, the first and last so many days before the clock.
    private async Task<Contact> Buyer(int count, double firstDaysAgo, double lastDaysAgo)
    {
        var person = await app.Person();
        await SetPurchases(person.Id, count, firstDaysAgo, lastDaysAgo);
        return person;
    }

    private async Task SetPurchases(int id, int count, double firstDaysAgo, double lastDaysAgo)
    {
        var now = app.Clock.GetUtcNow().UtcDateTime;
        await using var db = await app.Db();
        await db.Contacts.Where(c => c.Id == id).ExecuteUpdateAsync(s => s
            .SetProperty(c => c.PurchaseCount, count)
            .SetProperty(c => c.FirstPurchaseAt, now.AddDays(-firstDaysAgo))
            .SetProperty(c => c.LastPurchaseAt, now.AddDays(-lastDaysAgo)));
    }

    private async Task<Dictionary<int, List<string?>>> Occasions(int automation) =>
        (await AutomationKit.Messages(app, automation)).GroupBy(m => m.ContactId!.Value).ToDictionary(g => g.Key, g => g.Select(m => m.Occasion).ToList());

    [Fact]
    public async Task A_fixed_number_of_days_reaches_each_lapse_once()
    {
        var template = await AutomationKit.Template(app, "{{ person.last_name }}، {{ days | persian_digits }} روز است که ندیدیمتان", Payvand.Modules.Contacts.ContactPurpose.Promotional);
        var automation = await AutomationKit.Automation(app, "miss-you", template, new() { ["mode"] = "fixed", ["days"] = "30", ["windowDays"] = "20" });
        var lapsed = await Buyer(1, 31, 31);
        var recent = await Buyer(5, 100, 10);
        var longGone = await Buyer(2, 400, 60); // lapsed before the window: not reached when the rule is switched on

        await AutomationKit.Daily(app);
        await AutomationKit.Daily(app);

        var occasions = await Occasions(automation);
        var lastDay = DateOnly.FromDateTime(app.Clock.GetUtcNow().UtcDateTime.AddDays(-31).AddHours(3.5));
        Assert.Equal([$"miss:{lastDay:yyyy-MM-dd}"], occasions[lapsed.Id]);
        Assert.False(occasions.ContainsKey(recent.Id));
        Assert.False(occasions.ContainsKey(longGone.Id));
        Assert.Equal($"{lapsed.LastName}، ۳۱ روز است که ندیدیمتان", (await AutomationKit.Messages(app, automation, lapsed.Id))[0].Body);

        // They bought again, then stayed away another 30 days: a new lapse, a new message.
        await SetPurchases(lapsed.Id, 2, 31, 0);
        app.Clock.Advance(TimeSpan.FromDays(30.5));
        await AutomationKit.Daily(app);
        Assert.Equal(2, (await Occasions(automation))[lapsed.Id].Distinct().Count());
    }

    [Fact]
    public async Task A_relative_number_of_days_follows_each_persons_own_rhythm()
    {
        var template = await AutomationKit.Template(app, "دلمان برایتان تنگ شده", Payvand.Modules.Contacts.ContactPurpose.Promotional);
        var automation = await AutomationKit.Automation(app, "miss-you", template,
            new() { ["mode"] = "relative", ["factor"] = "2", ["minPurchases"] = "3", ["minDays"] = "5", ["windowDays"] = "30" });
        var weekly = await Buyer(4, 70, 40);        // every 10 days: lapsed after 20, it has been 40
        var seasonal = await Buyer(4, 310, 40);     // every 90 days: not before 180
        var fewPurchases = await Buyer(2, 50, 40);  // fewer than 3 purchases: no rhythm to follow
        var sameDay = await Buyer(3, 6, 6);         // all on one day: at least minDays (5), it has been 6
        var longAgo = await Buyer(4, 100, 70);      // every 10 days, lapsed 50 days ago: before the 30-day window

        await AutomationKit.Daily(app);
        await AutomationKit.Daily(app);

        var occasions = await Occasions(automation);
        Assert.Single(occasions[weekly.Id]);
        Assert.Single(occasions[sameDay.Id]);
        Assert.False(occasions.ContainsKey(seasonal.Id));
        Assert.False(occasions.ContainsKey(fewPurchases.Id));
        Assert.False(occasions.ContainsKey(longAgo.Id));
    }
}
