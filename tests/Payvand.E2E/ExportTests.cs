using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Payvand.Modules.Contacts;
using Payvand.Modules.Purchases;
using Payvand.Platform.Auth;
using Payvand.Platform.Data;

namespace Payvand.E2E;

// Views of more than one row count as large here, so two people make a background export.
public sealed class ExportApp : BrowserApp
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Payvand:Exports:DirectLimit", "1");
    }
}

// A large view of the people list is exported in the background: the Export menu says so and queues it, the Exports
// page follows the job until it is done and downloads the file, which holds the people of the view. In Persian, and
// the same page in English.
public sealed class ExportTests(ExportApp app) : IClassFixture<ExportApp>
{
    [Fact]
    public async Task A_large_view_is_exported_in_the_background_and_downloaded_from_the_exports_page()
    {
        var page = await app.SignedInPage("fa-IR");
        var suffix = Guid.NewGuid().ToString("N")[..6];
        string[] names = ["رستمی" + suffix, "کاوه" + suffix];
        // Sent with the page's cookie, so from the page's origin as the browser would (cookie changes need it: OriginCheck).
        var sameOrigin = new Dictionary<string, string> { ["Origin"] = app.BaseUrl.TrimEnd('/') };
        foreach (var name in names)
        {
            var created = await page.APIRequest.PostAsync("api/contacts", new() { DataObject = new { lastName = name, city = "بابلسر" }, Headers = sameOrigin });
            Assert.True(created.Ok, await created.TextAsync());
        }

        var other = await page.APIRequest.PostAsync("api/contacts", new() { DataObject = new { lastName = "دیگری" + suffix, city = "ساری" }, Headers = sameOrigin });
        Assert.True(other.Ok, await other.TextAsync());

        await page.GotoAsync("contacts?city=" + Uri.EscapeDataString("بابلسر"));
        await BrowserApp.WaitForBlazor(page);
        await Assertions.Expect(page.Locator("[data-testid=contacts-grid]")).ToContainTextAsync(names[1]);
        await page.Locator("[data-testid=export-menu] button").First.ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=export-background-note]")).ToContainTextAsync("بیش از ۱ ردیف");
        await page.Locator("[data-testid=export-csv]").ClickAsync();
        await Assertions.Expect(page.Locator(".mud-snackbar")).ToContainTextAsync("خروجی در حال آماده شدن است");

        await page.ClickAsync("[data-testid=nav-exports]");
        var row = page.Locator("[data-testid=export-row]").First;
        await Assertions.Expect(row.Locator("[data-testid=export-status]")).ToHaveTextAsync("انجام شد", new() { Timeout = 30_000 });
        await Assertions.Expect(row).ToContainTextAsync("اشخاص، CSV");
        await Assertions.Expect(row).ToContainTextAsync("شهر: بابلسر");
        await Assertions.Expect(row).ToContainTextAsync("مرتب‌سازی بر اساس: نام");
        var download = await page.RunAndWaitForDownloadAsync(() => row.Locator("[data-testid=export-download]").ClickAsync());
        Assert.Equal("contacts.csv", download.SuggestedFilename);
        var file = await File.ReadAllTextAsync(await download.PathAsync());
        foreach (var name in names) Assert.Contains(name, file, StringComparison.Ordinal);
        Assert.DoesNotContain("دیگری" + suffix, file, StringComparison.Ordinal);
        await page.Context.CloseAsync();

        var english = await app.SignedInPage("en-US");
        await english.GotoAsync("exports");
        await BrowserApp.WaitForBlazor(english);
        var listed = english.Locator("[data-testid=export-row]").First;
        await Assertions.Expect(listed.Locator("[data-testid=export-status]")).ToHaveTextAsync("Succeeded");
        await Assertions.Expect(listed).ToContainTextAsync("People · CSV");
        await Assertions.Expect(listed).ToContainTextAsync("City: بابلسر");
        await Assertions.Expect(listed.Locator("[data-testid=export-download]")).ToContainTextAsync("Download");
        await english.Context.CloseAsync();
    }

    // The purchases page exports its view (here: the orders of one source system) like the people list: two purchases
    // are more than the limit, so the file is prepared in the background and downloaded from the Exports page, in
    // English, with the day in Gregorian and the channel by name.
    [Fact]
    public async Task The_purchases_page_exports_its_view_in_the_background()
    {
        var source = "e2e-" + Guid.NewGuid().ToString("N")[..6];
        string[] orders = ["A-" + source, "B-" + source];
        await using (var scope = app.Services.CreateAsyncScope())
        {
            await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<PayvandDb>>().CreateDbContextAsync();
            var branchId = await db.Branches.OrderBy(b => b.Id).Select(b => b.Id).FirstAsync();
            var contactId = await scope.ServiceProvider.GetRequiredService<SaveContact>().Create(
                new ContactInput { FirstName = "Nima", LastName = "Exporter" + source[4..], BranchId = branchId }, UserScope.System, CancellationToken.None);
            var record = scope.ServiceProvider.GetRequiredService<RecordPurchase>();
            // A third order from elsewhere, left out of the view: the grid shows two rows once the filter applies.
            foreach (var (order, i) in orders.Append("C-" + source).Select((o, i) => (o, i)))
            {
                await record.Handle(new RecordPurchase.Request
                {
                    ContactId = contactId,
                    BranchId = branchId,
                    Channel = PurchaseChannel.Online,
                    SourceSystem = i < 2 ? source : "other-" + source,
                    ExternalOrderId = order,
                    OccurredAt = new DateTime(2026, 5, 10 + i, 8, 0, 0, DateTimeKind.Utc),
                    Lines = [new RecordPurchase.LineInput(Description: "Tea", Quantity: 1, UnitPrice: 250_000)],
                }, UserScope.System, CancellationToken.None);
            }
        }

        var page = await app.SignedInPage("en-US");
        await page.GotoAsync("purchases");
        await BrowserApp.WaitForBlazor(page);
        await page.Locator("input[data-testid=purchases-source], [data-testid=purchases-source] input").First.FillAsync(source);
        await Assertions.Expect(page.Locator("[data-testid=purchases-grid] tbody tr")).ToHaveCountAsync(2);
        await page.Locator("[data-testid=export-menu] button").First.ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=export-background-note]")).ToContainTextAsync("More than 1 rows");
        await page.Locator("[data-testid=export-csv]").ClickAsync();
        await Assertions.Expect(page.Locator(".mud-snackbar")).ToContainTextAsync("The export is being prepared");

        await page.ClickAsync("[data-testid=nav-exports]");
        var row = page.Locator("[data-testid=export-row]").First;
        await Assertions.Expect(row.Locator("[data-testid=export-status]")).ToHaveTextAsync("Succeeded", new() { Timeout = 30_000 });
        await Assertions.Expect(row).ToContainTextAsync("Purchases · CSV");
        await Assertions.Expect(row).ToContainTextAsync("Source system: " + source);
        await Assertions.Expect(row.Locator("[data-testid=export-rows]")).ToHaveTextAsync("2 rows");
        var download = await page.RunAndWaitForDownloadAsync(() => row.Locator("[data-testid=export-download]").ClickAsync());
        Assert.Equal("purchases.csv", download.SuggestedFilename);
        var lines = (await File.ReadAllLinesAsync(await download.PathAsync())).Skip(1).ToList();
        Assert.Equal(2, lines.Count);
        Assert.Contains(orders[1], lines[0], StringComparison.Ordinal); // newest first, as the page lists them
        Assert.Contains("2026-05-11,11:30," + orders[1], lines[0], StringComparison.Ordinal);
        Assert.Contains(",Online,", lines[0], StringComparison.Ordinal);
        Assert.Contains(orders[0], lines[1], StringComparison.Ordinal);
        await page.Context.CloseAsync();
    }
}
