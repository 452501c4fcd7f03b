using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Payvand.Modules.Contacts;
using Payvand.Platform.Data;

namespace Payvand.E2E;

// A new customer's spreadsheet, saved by Excel on Persian Windows (Windows-1256, Arabic ي and ك), imported in
// Persian: one column the importer cannot guess is mapped by hand, the job runs with a live progress bar, and an
// imported person is then found by a name typed with Arabic letters. The result's link lists the imported people,
// not a person entered by hand.
public sealed class ImportTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    static ImportTests() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    [Fact]
    public async Task Import_a_windows_1256_csv_in_persian()
    {
        var csv = "نام,فاميلي,شماره,شهر\r\n" +
                  "كيانوش,رحيمي,09123456701,كرج\r\n" +
                  "مريم,كاظمي,0912 345 67 02,تهران\r\n" +
                  "يگانه,ملكي,+98 912 345 6703,\r\n" +
                  "سعيد,,123,\r\n";
        var bytes = Encoding.GetEncoding(1256, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback).GetBytes(csv);

        await using (var db = await app.Services.GetRequiredService<IDbContextFactory<PayvandDb>>().CreateDbContextAsync())
        {
            var branch = await db.Branches.OrderBy(b => b.Id).Select(b => b.Id).FirstAsync();
            var manual = new Contact { LastName = "دستی‌نویس", BranchId = branch, Source = RecordSource.Manual };
            manual.Touch();
            db.Contacts.Add(manual);
            await db.SaveChangesAsync();
        }

        var page = await app.SignedInPage("fa-IR");
        await page.GotoAsync("imports");
        await BrowserApp.WaitForBlazor(page);
        await page.Locator("input[type=file]").SetInputFilesAsync(new FilePayload { Name = "مشتریان.csv", MimeType = "text/csv", Buffer = bytes });

        // "شماره" (number) is not a header the importer knows: the person maps it to the mobile.
        await Assertions.Expect(page.Locator("[data-testid=import-preview]")).ToContainTextAsync("كيانوش");
        await page.Locator("[data-testid=map-2]").ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item", new() { HasText = "موبایل" }).ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=import-preview] .import-invalid")).ToHaveCountAsync(2); // row 5: no family name... and a bad mobile

        await page.ClickAsync("[data-testid=import-start]");
        await Assertions.Expect(page.Locator("[data-testid=import-status-chip]")).ToHaveTextAsync("انجام شد", new() { Timeout = 30_000 });
        var progress = page.Locator("[data-testid=import-progress]");
        await Assertions.Expect(progress).ToHaveAttributeAsync("data-done", "4");
        await Assertions.Expect(progress).ToHaveAttributeAsync("data-total", "4");
        await Assertions.Expect(page.Locator("[data-testid=count-created]")).ToContainTextAsync("۳");
        await Assertions.Expect(page.Locator("[data-testid=count-invalid]")).ToContainTextAsync("۱");

        await page.ClickAsync("[data-testid=import-open-people]");
        await BrowserApp.WaitForBlazor(page);
        var grid = page.Locator("[data-testid=contacts-grid]");
        await Assertions.Expect(grid).ToContainTextAsync("مریم کاظمی");
        await Assertions.Expect(grid).Not.ToContainTextAsync("دستی‌نویس");
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("contacts\\?source=Import$"));

        await page.GotoAsync("contacts");
        await BrowserApp.WaitForBlazor(page);
        await Assertions.Expect(page.Locator("[data-testid=contacts-grid]")).ToContainTextAsync("دستی‌نویس");
        await page.FillAsync("[data-testid=contacts-q] input, input[data-testid=contacts-q]", "رحيمي");
        await Assertions.Expect(page.Locator("[data-testid=contacts-grid]")).ToContainTextAsync("کیانوش رحیمی");
        await page.Context.CloseAsync();
    }
}
