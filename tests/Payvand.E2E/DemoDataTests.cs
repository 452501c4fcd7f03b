using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Payvand.Platform.Data;

namespace Payvand.E2E;

public sealed class DemoApp : BrowserApp
{
    protected override bool WithDemoData => true;
}

// What a newcomer sees after `dotnet run --project src/Payvand.Web -- --demo`: a people list full of Persian names and
// a profile with a history. With PAYVAND_SCREENSHOTS set to a folder, the profile is also saved there as screenshot.png
// (how docs/screenshot.png is made).
public sealed partial class DemoDataTests(DemoApp app) : IClassFixture<DemoApp>
{
    [Fact]
    public async Task A_newcomer_sees_a_living_crm_in_persian()
    {
        int busiest;
        await using (var db = await app.Services.GetRequiredService<IDbContextFactory<PayvandDb>>().CreateDbContextAsync())
        {
            Assert.True(await db.Contacts.CountAsync() >= 300);
            busiest = await db.Activities.Where(a => a.ContactId != null).GroupBy(a => a.ContactId!.Value)
                .OrderByDescending(g => g.Count()).ThenBy(g => g.Key).Select(g => g.Key).FirstAsync();
        }

        var page = await app.SignedInPage("fa-IR");
        await page.SetViewportSizeAsync(1440, 900);
        await page.GotoAsync("contacts");
        await BrowserApp.WaitForBlazor(page);
        var grid = page.Locator("[data-testid=contacts-grid]");
        await Assertions.Expect(grid.Locator("tbody tr")).ToHaveCountAsync(25);
        await Assertions.Expect(grid.Locator("tbody tr a").First).ToHaveTextAsync(PersianName());

        await page.GotoAsync($"contacts/{busiest}");
        await BrowserApp.WaitForBlazor(page);
        await Assertions.Expect(page.Locator("[data-testid=contact-name]")).ToHaveTextAsync(PersianName());
        var items = page.Locator("[data-testid=timeline-item]");
        await Assertions.Expect(items.First).ToBeVisibleAsync();
        Assert.True(await items.CountAsync() >= 3, "the busiest demo person has a history");
        await Screenshot(page, "screenshot.png");
        await page.Context.CloseAsync();
    }

    private static async Task Screenshot(IPage page, string name)
    {
        if (Environment.GetEnvironmentVariable("PAYVAND_SCREENSHOTS") is not { Length: > 0 } folder) return;
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        await page.ScreenshotAsync(new() { Path = Path.Combine(folder, name) });
    }

    [GeneratedRegex(@"^[\u0600-\u06FF\u200C ]+$")]
    private static partial Regex PersianName();
}
