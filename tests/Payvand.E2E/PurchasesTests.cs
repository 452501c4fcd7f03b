using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Payvand.Modules.Contacts;
using Payvand.Modules.Purchases;
using Payvand.Platform.Auth;
using Payvand.Platform.Data;

namespace Payvand.E2E;

// A person's purchases in Persian: the purchases tab shows the totals in tomans (the default business unit) with
// Persian digits, and a refund made from the purchase page lowers what the person spent.
public sealed class PurchasesTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    [Fact]
    public async Task See_a_persons_purchases_and_refund_one_in_persian()
    {
        int contactId;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<PayvandDb>>().CreateDbContextAsync();
            var branchId = await db.Branches.OrderBy(b => b.Id).Select(b => b.Id).FirstAsync();
            contactId = await scope.ServiceProvider.GetRequiredService<SaveContact>().Create(
                new ContactInput { FirstName = "مینا", LastName = "کاظمی", BranchId = branchId }, UserScope.System, CancellationToken.None);
            var record = scope.ServiceProvider.GetRequiredService<RecordPurchase>();
            await record.Handle(new RecordPurchase.Request
            {
                ContactId = contactId,
                BranchId = branchId,
                Lines = [new RecordPurchase.LineInput(Description: "کیف", Quantity: 1, UnitPrice: 750_000)],
            }, UserScope.System, CancellationToken.None);
        }

        var page = await app.SignedInPage("fa-IR");
        await page.GotoAsync($"contacts/{contactId}");
        await BrowserApp.WaitForBlazor(page);
        await page.GetByRole(AriaRole.Tab, new() { Name = "خریدها" }).ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=purchase-count]")).ToHaveTextAsync("۱");
        await Assertions.Expect(page.Locator("[data-testid=net-spent]")).ToHaveTextAsync("۷۵٬۰۰۰ تومان");

        await page.Locator("[data-testid=purchase-link]").First.ClickAsync();
        await page.WaitForURLAsync(url => System.Text.RegularExpressions.Regex.IsMatch(url, @"/purchases/\d+$"));
        await BrowserApp.WaitForBlazor(page);
        await page.ClickAsync("[data-testid=refund-button]");
        await page.FillAsync("[data-testid=refund-amount]", "۲۵٬۰۰۰");
        await page.Locator("[data-testid=refund-amount]").BlurAsync();
        await page.FillAsync("[data-testid=refund-reason]", "اندازه نبود");
        await page.ClickAsync("[data-testid=refund-save]");
        await Assertions.Expect(page.Locator("[data-testid=purchase-net]")).ToContainTextAsync("۵۰٬۰۰۰ تومان");
        await Assertions.Expect(page.Locator("[data-testid=refunds]")).ToContainTextAsync("اندازه نبود");

        await page.GotoAsync($"contacts/{contactId}");
        await BrowserApp.WaitForBlazor(page);
        await page.GetByRole(AriaRole.Tab, new() { Name = "خریدها" }).ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=net-spent]")).ToHaveTextAsync("۵۰٬۰۰۰ تومان");
        await page.Context.CloseAsync();
    }
}
