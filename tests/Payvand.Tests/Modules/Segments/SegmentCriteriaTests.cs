using Payvand.Modules.Contacts;
using Payvand.Modules.Purchases;
using Payvand.Modules.Segments;
using Payvand.Platform.Auth;
using Payvand.Platform.Persian;
using Payvand.Platform.Segments;
using Payvand.Tests.Infrastructure;

namespace Payvand.Tests.Modules.Segments;

// The criteria modules add for marketing: branch, promotional consent per channel, Jalali birthdays (month, and within
// the next N days, recurring on the Jalali date), bought on a day and bought category. Counted through
// /api/segments/preview on people of a branch of their own, so the counts are exact.
[Trait("Category", "Integration")]
public sealed class SegmentCriteriaTests(PayvandApp app) : IClassFixture<PayvandApp>
{
    private static DateOnly TodayInTehran() =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(TimeProvider.System.GetUtcNow().UtcDateTime, TimeZoneInfo.FindSystemTimeZoneById("Asia/Tehran")));

    // Born 30 Jalali years before the day `days` from today, on its Jalali month and day.
    private static DateOnly BirthdayIn(int days)
    {
        var (year, month, day) = Jalali.FromGregorian(TodayInTehran().AddDays(days));
        return Jalali.ToGregorian(year - 30, month, Math.Min(day, Jalali.DaysInMonth(year - 30, month)));
    }

    private async Task<(HttpClient Client, Dictionary<string, int> People, int Branch, string BranchName)> Setup()
    {
        var name = "Criteria " + Guid.NewGuid().ToString("N")[..6];
        var branch = await app.CreateBranch(name);
        var people = new Dictionary<string, int>();
        await using var db = await app.Db();
        var category = new ProductCategory { Name = "Tea " + name };
        db.ProductCategories.Add(category);
        await db.SaveChangesAsync();
        var product = new Product { Sku = "T" + Guid.NewGuid().ToString("N")[..8], Name = "Green tea", CategoryId = category.Id, Price = 1000 };
        db.Products.Add(product);
        foreach (var (first, birth) in new (string, DateOnly?)[] { ("Sara", BirthdayIn(3)), ("Reza", BirthdayIn(20)), ("Mina", null) })
        {
            var c = new Contact { FirstName = first, LastName = "Criteria", SortName = first, BranchId = branch, BirthDate = birth };
            db.Contacts.Add(c);
            await db.SaveChangesAsync();
            people[first] = c.Id;
        }

        var now = TimeProvider.System.GetUtcNow().UtcDateTime;
        db.ContactConsents.Add(new ContactConsent { ContactId = people["Sara"], Channel = ConsentChannel.Sms, Purpose = ContactPurpose.Promotional, Status = ConsentStatus.OptedIn, ChangedAt = now, Source = "test" });
        db.ContactConsents.Add(new ContactConsent { ContactId = people["Reza"], Channel = ConsentChannel.Sms, Purpose = ContactPurpose.Promotional, Status = ConsentStatus.OptedOut, ChangedAt = now, Source = "test" });
        db.ContactConsents.Add(new ContactConsent { ContactId = people["Mina"], Channel = ConsentChannel.Email, Purpose = ContactPurpose.Promotional, Status = ConsentStatus.OptedIn, ChangedAt = now, Source = "test" });
        db.Purchases.Add(new Purchase
        {
            ContactId = people["Reza"],
            BranchId = branch,
            OccurredAt = now.AddDays(-10),
            Total = 1000,
            Lines = [new PurchaseLine { ProductId = product.Id, Description = "Green tea", Quantity = 1, UnitPrice = 1000, LineTotal = 1000 }],
        });
        db.Purchases.Add(new Purchase
        {
            ContactId = people["Mina"],
            BranchId = branch,
            OccurredAt = now.AddDays(-100),
            Total = 500,
            Lines = [new PurchaseLine { Description = "Something else", Quantity = 1, UnitPrice = 500, LineTotal = 500 }],
        });
        await db.SaveChangesAsync();
        return (await app.ClientFor(await app.CreateUser(Roles.Sales, branch)), people, branch, category.Name);
    }

    private static async Task<string[]> Select(HttpClient client, Dictionary<string, int> people, params SegmentCondition[] conditions)
    {
        var preview = await (await client.PostJson("/api/segments/preview", new SegmentRule(SegmentMatch.All, conditions))).Read<SegmentPreview>();
        return [.. people.Where(p => preview.Sample.Any(s => s.Id == p.Value)).Select(p => p.Key).Order(StringComparer.Ordinal)];
    }

    [Fact]
    public async Task Consent_per_channel_selects_opted_in_opted_out_and_undecided_people()
    {
        var (client, people, _, _) = await Setup();
        Assert.Equal(["Sara"], await Select(client, people, new SegmentCondition("contacts.consent.sms", SegmentOperator.In, ["OptedIn"])));
        Assert.Equal(["Reza"], await Select(client, people, new SegmentCondition("contacts.consent.sms", SegmentOperator.In, ["OptedOut"])));
        Assert.Equal(["Mina"], await Select(client, people, new SegmentCondition("contacts.consent.sms", SegmentOperator.In, ["Unknown"])));
        Assert.Equal(["Mina", "Sara"], await Select(client, people, new SegmentCondition("contacts.consent.sms", SegmentOperator.NotIn, ["OptedOut"])));
        Assert.Equal(["Mina"], await Select(client, people, new SegmentCondition("contacts.consent.email", SegmentOperator.In, ["OptedIn"])));
    }

    [Fact]
    public async Task Birthdays_recur_on_their_jalali_month_and_day()
    {
        var (client, people, _, _) = await Setup();
        Assert.Equal(["Sara"], await Select(client, people, new SegmentCondition("contacts.birthdayWithin", SegmentOperator.AtMost, ["7"])));
        Assert.Equal(["Reza", "Sara"], await Select(client, people, new SegmentCondition("contacts.birthdayWithin", SegmentOperator.AtMost, ["۳۰"])));
        Assert.Empty(await Select(client, people, new SegmentCondition("contacts.birthdayWithin", SegmentOperator.AtMost, ["2"])));
        var month = Jalali.FromGregorian(BirthdayIn(3)).Month.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains("Sara", await Select(client, people, new SegmentCondition("contacts.birthMonth", SegmentOperator.Equals, [month])));
        Assert.DoesNotContain("Mina", await Select(client, people, new SegmentCondition("contacts.birthMonth", SegmentOperator.Between, ["1", "12"])));
    }

    [Fact]
    public async Task Branch_purchases_in_a_period_and_bought_category_select_their_people()
    {
        var (client, people, branch, category) = await Setup();
        var admin = await app.AdminClient();
        var preview = await (await admin.PostJson("/api/segments/preview", new SegmentRule(SegmentMatch.All,
            [new SegmentCondition("contacts.branch", SegmentOperator.HasAny, [branch.ToString(System.Globalization.CultureInfo.InvariantCulture)])]))).Read<SegmentPreview>();
        Assert.Equal(3, preview.Count);
        Assert.Equal(["Mina", "Reza", "Sara"], await Select(client, people, new SegmentCondition("contacts.branch", SegmentOperator.HasAny, [branch.ToString(System.Globalization.CultureInfo.InvariantCulture)])));
        Assert.Empty(await Select(client, people, new SegmentCondition("contacts.branch", SegmentOperator.HasNone, [branch.ToString(System.Globalization.CultureInfo.InvariantCulture)])));

        Assert.Equal(["Reza"], await Select(client, people, new SegmentCondition("purchases.on", SegmentOperator.InLastDays, ["30"])));
        Assert.Equal(["Mina", "Reza"], await Select(client, people, new SegmentCondition("purchases.on", SegmentOperator.InLastDays, ["365"])));
        Assert.Equal(["Reza"], await Select(client, people, new SegmentCondition("purchases.category", SegmentOperator.HasAny, [category])));
        Assert.Equal(["Mina", "Sara"], await Select(client, people, new SegmentCondition("purchases.category", SegmentOperator.HasNone, [category])));
    }
}
