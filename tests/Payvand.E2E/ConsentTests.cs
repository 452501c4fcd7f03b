using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Payvand.Modules.Contacts;
using Payvand.Platform.Data;

namespace Payvand.E2E;

// A marketer filters the people list and asks who can be reached by promotional SMS: the counts by reason, in Persian;
// then withdraws one person's consent on their page and the count follows.
public sealed class ConsentTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    [Fact]
    public async Task Who_can_be_reached_is_counted_for_the_lists_filter_in_persian()
    {
        var tag = "reach" + Guid.NewGuid().ToString("N")[..6];
        var ids = new List<int>();
        await using (var db = await app.Services.GetRequiredService<IDbContextFactory<PayvandDb>>().CreateDbContextAsync())
        {
            var branch = await db.Branches.OrderBy(b => b.Id).Select(b => b.Id).FirstAsync();
            for (var i = 0; i < 3; i++)
            {
                var mobile = "+98912" + Random.Shared.Next(1_000_000, 9_999_999);
                var contact = new Contact { LastName = "دسترس " + i, BranchId = branch, Tags = [new ContactTag { Name = tag }] };
                contact.Points.Add(new ContactPoint { Kind = ContactPointKind.Mobile, Value = mobile, NormalizedValue = mobile, IsPrimary = true });
                if (i < 2) contact.SetConsent(ConsentChannel.Sms, ContactPurpose.Promotional, ConsentStatus.OptedIn, "e2e", DateTime.UnixEpoch, null);
                contact.Touch();
                db.Contacts.Add(contact);
                await db.SaveChangesAsync();
                ids.Add(contact.Id);
            }
        }

        var page = await app.SignedInPage("fa-IR");
        await page.GotoAsync("contacts?tag=" + tag);
        await BrowserApp.WaitForBlazor(page);
        await page.ClickAsync("[data-testid=reach-count]");
        var result = page.Locator("[data-testid=reach-result]");
        await Assertions.Expect(result).ToContainTextAsync("۲ نفر از ۳ نفر در دسترس‌اند.");
        await Assertions.Expect(page.Locator("[data-testid=reach-NoConsent]")).ToContainTextAsync("بدون رضایت: ۱");

        // On the person page the consent table has a row per channel and a column per purpose.
        await page.GotoAsync($"contacts/{ids[0]}");
        await BrowserApp.WaitForBlazor(page);
        var table = page.Locator("[data-testid=consent-table]");
        await Assertions.Expect(table).ToContainTextAsync("پیامک");
        await Assertions.Expect(table).ToContainTextAsync("تبلیغاتی");
        await Assertions.Expect(table).ToContainTextAsync("خدماتی");
        await page.ClickAsync("[data-testid=consent-sms-Promotional]");
        await page.Locator(".mud-popover-open .mud-list-item", new() { HasText = "انصراف داده" }).ClickAsync();
        await Assertions.Expect(page.Locator(".mud-snackbar")).ToBeVisibleAsync();

        await page.GotoAsync("contacts?tag=" + tag);
        await BrowserApp.WaitForBlazor(page);
        await page.ClickAsync("[data-testid=reach-count]");
        await Assertions.Expect(result).ToContainTextAsync("۱ نفر از ۳ نفر در دسترس‌اند.");
        await Assertions.Expect(page.Locator("[data-testid=reach-OptedOut]")).ToContainTextAsync("۱");
        await page.Context.CloseAsync();
    }
}
