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

    private async Task<(int ContactId, string Mobile)> Customer(string first, string last, string mobile)
    {
        await using var scope = app.Services.CreateAsyncScope();
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<PayvandDb>>().CreateDbContextAsync();
        var branchId = await db.Branches.OrderBy(b => b.Id).Select(b => b.Id).FirstAsync();
        var id = await scope.ServiceProvider.GetRequiredService<SaveContact>().Create(new ContactInput
        {
            FirstName = first,
            LastName = last,
            BranchId = branchId,
            Points = [new ContactPointInput(ContactPointKind.Mobile, mobile, IsPrimary: true)],
        }, UserScope.System, CancellationToken.None);
        return (id, mobile);
    }

    // From a person's purchases tab, in Persian with Persian digits typed: a free-text line and a catalogue product,
    // the live total in tomans, a handler error shown beside its field, then the new purchase opens.
    [Fact]
    public async Task Record_a_purchase_by_hand_in_persian()
    {
        var (contactId, _) = await Customer("رویا", "صالحی", "09123456801");
        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<Catalog>().CreateProduct(new ProductInput("E2E-NOTE", "دفتر یادداشت", null, 50_000), CancellationToken.None);
        }

        var page = await app.SignedInPage("fa-IR");
        await page.GotoAsync($"contacts/{contactId}");
        await BrowserApp.WaitForBlazor(page);
        await page.GetByRole(AriaRole.Tab, new() { Name = "خریدها" }).ClickAsync();
        await page.ClickAsync("[data-testid=contact-new-purchase]");
        await page.WaitForURLAsync(url => url.Contains("/purchases/new", StringComparison.Ordinal));
        await BrowserApp.WaitForBlazor(page);
        await Assertions.Expect(page.Locator("[data-testid=new-purchase-person] input, input[data-testid=new-purchase-person]")).ToHaveValueAsync(new System.Text.RegularExpressions.Regex("رویا صالحی"));

        await page.FillAsync("[data-testid=new-purchase-date]", "۱۴۰۳/۰۱/۱۵");
        await page.Locator("[data-testid=new-purchase-date]").BlurAsync();
        await page.FillAsync("[data-testid=line-0-description]", "کتاب");
        await page.FillAsync("[data-testid=line-0-quantity]", "۲");

        // No price yet: the handler's error appears under the line's price.
        await page.ClickAsync("[data-testid=new-purchase-save]");
        await Assertions.Expect(page.Locator("[data-testid=line-0] .mud-error-text")).ToContainTextAsync("قیمت واحد");
        Assert.Contains("/purchases/new", page.Url, StringComparison.Ordinal);

        await page.FillAsync("[data-testid=line-0-price]", "۱۲۰٬۰۰۰");
        await page.Locator("[data-testid=line-0-price]").BlurAsync();
        await Assertions.Expect(page.Locator("[data-testid=new-purchase-total]")).ToHaveTextAsync("۲۴۰٬۰۰۰ تومان");
        await page.FillAsync("[data-testid=line-0-discount]", "۱۰٬۰۰۰");
        await page.Locator("[data-testid=line-0-discount]").BlurAsync();
        await Assertions.Expect(page.Locator("[data-testid=new-purchase-total]")).ToHaveTextAsync("۲۳۰٬۰۰۰ تومان");

        await page.ClickAsync("[data-testid=new-purchase-add-line]");
        await page.FillAsync("[data-testid=line-1-product] input, input[data-testid=line-1-product]", "دفتر");
        await page.Locator(".mud-popover-open .mud-list-item", new() { HasText = "دفتر یادداشت" }).ClickAsync();
        // The chosen product brings its price (one at 5,000 toman): typed before that render, the quantity would be reset.
        await Assertions.Expect(page.Locator("[data-testid=line-1-total]")).ToHaveTextAsync("۵٬۰۰۰ تومان");
        await page.FillAsync("[data-testid=line-1-quantity]", "۳");
        await Assertions.Expect(page.Locator("[data-testid=line-1-total]")).ToHaveTextAsync("۱۵٬۰۰۰ تومان");
        await Assertions.Expect(page.Locator("[data-testid=new-purchase-total]")).ToHaveTextAsync("۲۴۵٬۰۰۰ تومان");

        await page.ClickAsync("[data-testid=new-purchase-save]");
        await page.WaitForURLAsync(url => System.Text.RegularExpressions.Regex.IsMatch(url, @"/purchases/\d+$"));
        await BrowserApp.WaitForBlazor(page);
        await Assertions.Expect(page.Locator("[data-testid=purchase-net]")).ToContainTextAsync("۲۴۵٬۰۰۰ تومان");
        // The line's discount is the purchase's discount too (the summary showed ۰ with a discounted line).
        await Assertions.Expect(page.Locator("[data-testid=purchase-discount]")).ToContainTextAsync("۱۰٬۰۰۰ تومان");
        await Assertions.Expect(page.Locator("body")).ToContainTextAsync("۱۴۰۳/۰۱/۱۵");

        await using (var scope = app.Services.CreateAsyncScope())
        {
            await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<PayvandDb>>().CreateDbContextAsync();
            var purchase = await db.Purchases.Include(p => p.Lines).SingleAsync(p => p.ContactId == contactId);
            Assert.Equal(2_450_000, purchase.Total);
            Assert.Equal(["کتاب", "دفتر یادداشت"], purchase.Lines.OrderBy(l => l.Id).Select(l => l.Description));
            Assert.Equal(2_450_000, await db.Contacts.Where(c => c.Id == contactId).Select(c => c.NetSpent).SingleAsync());
        }

        await page.Context.CloseAsync();
    }

    // The import page in English: Purchases chosen, a CSV of three lines (one order of two lines, one bad amount).
    [Fact]
    public async Task Import_a_purchases_file_in_english()
    {
        var (contactId, mobile) = await Customer("Sina", "Karimi", "09123456802");
        var csv = "Order number,Date,Mobile,Description,Quantity,Unit price\r\n" +
                  $"E2E-1,2024-05-01,{mobile},Pen,2,30000\r\n" +
                  "E2E-1,,,Ink,1,40000\r\n" +
                  $"E2E-2,2024-05-02,{mobile},Paper,1,abc\r\n";

        var page = await app.SignedInPage("en-US");
        await page.GotoAsync("imports");
        await BrowserApp.WaitForBlazor(page);
        await page.ClickAsync("[data-testid=import-kind-purchases]");
        await Assertions.Expect(page.Locator("[data-testid=purchases-import-help]")).ToBeVisibleAsync();
        await page.Locator("input[type=file]").SetInputFilesAsync(new FilePayload { Name = "orders.csv", MimeType = "text/csv", Buffer = System.Text.Encoding.UTF8.GetBytes(csv) });

        await Assertions.Expect(page.Locator("[data-testid=import-preview]")).ToContainTextAsync("Ink");
        await Assertions.Expect(page.Locator("[data-testid=import-preview] .import-invalid")).ToHaveCountAsync(1); // the price "abc"
        await page.ClickAsync("[data-testid=import-start]");
        await Assertions.Expect(page.Locator("[data-testid=import-status-chip]")).ToHaveTextAsync("Succeeded", new() { Timeout = 30_000 });
        await Assertions.Expect(page.Locator("[data-testid=count-created]")).ToContainTextAsync("2");
        await Assertions.Expect(page.Locator("[data-testid=count-invalid]")).ToContainTextAsync("1");

        await page.ClickAsync("[data-testid=import-open-purchases]");
        await BrowserApp.WaitForBlazor(page);
        await Assertions.Expect(page.Locator("[data-testid=purchases-grid]")).ToContainTextAsync("E2E-1");
        await using (var scope = app.Services.CreateAsyncScope())
        {
            await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<PayvandDb>>().CreateDbContextAsync();
            var purchase = await db.Purchases.Include(p => p.Lines).SingleAsync(p => p.ContactId == contactId);
            Assert.Equal(("E2E-1", 2, 100_000L), (purchase.ExternalOrderId, purchase.Lines.Count, purchase.Total));
        }

        await page.Context.CloseAsync();
    }
}
