using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Payvand.Modules.Activities;
using Payvand.Modules.Contacts;
using Payvand.Platform.Auth;
using Payvand.Platform.Data;

namespace Payvand.E2E;

// Numbers in the Persian UI, read from the browser: a pager that can only say "more than" a total and the page sizes
// it offers show Persian digits, and a number typed in Persian digits into a list filter stays Persian and filters.
public sealed partial class PersianNumbersTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    private async Task People(string lastName, int count)
    {
        using var scope = app.Services.CreateScope();
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<PayvandDb>>().CreateDbContextAsync();
        var branch = await db.Branches.OrderBy(b => b.Id).Select(b => b.Id).FirstAsync();
        var save = scope.ServiceProvider.GetRequiredService<SaveContact>();
        for (var i = 0; i < count; i++)
        {
            await save.Create(new ContactInput { FirstName = "نفر" + i, LastName = lastName, BranchId = branch }, UserScope.System, CancellationToken.None);
        }
    }

    [Fact]
    public async Task A_pager_over_more_than_it_counted_and_its_page_sizes_use_persian_digits()
    {
        // A name search counts up to 200 matches (PagedCount.SearchCountCap): 205 people make the pager say "more than".
        var name = "پرشمار" + Guid.NewGuid().ToString("N")[..4];
        await People(name, 205);
        var page = await app.SignedInPage("fa-IR");
        await page.GotoAsync("contacts?q=" + Uri.EscapeDataString(name));
        await BrowserApp.WaitForBlazor(page);

        var pager = page.Locator("[data-testid=contacts-grid] .mud-table-pagination-toolbar");
        await Assertions.Expect(pager).ToContainTextAsync("بیش از ۲۰۰");
        Assert.DoesNotMatch(LatinDigit(), await pager.InnerTextAsync());

        await pager.Locator(".mud-table-pagination-select").ClickAsync();
        var sizes = page.Locator(".mud-popover-open .mud-list-item");
        await Assertions.Expect(sizes.First).ToBeVisibleAsync();
        var offered = await sizes.AllInnerTextsAsync();
        Assert.Contains("۲۵", offered.Select(s => s.Trim()));
        Assert.All(offered, s => Assert.DoesNotMatch(LatinDigit(), s));
        await page.Context.CloseAsync();
    }

    // A timeline of more than one page numbers its pages in Persian (MudPagination draws them itself).
    [Fact]
    public async Task The_page_numbers_of_a_long_timeline_use_persian_digits()
    {
        int person;
        using (var scope = app.Services.CreateScope())
        {
            await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<PayvandDb>>().CreateDbContextAsync();
            var branch = await db.Branches.OrderBy(b => b.Id).Select(b => b.Id).FirstAsync();
            person = await scope.ServiceProvider.GetRequiredService<SaveContact>()
                .Create(new ContactInput { FirstName = "پرحرف", LastName = "یادداشتی", BranchId = branch }, UserScope.System, CancellationToken.None);
            var log = scope.ServiceProvider.GetRequiredService<LogActivity>();
            for (var i = 0; i < 21; i++) await log.OnContact(person, new ActivityInput { Body = "یادداشت " + i }, UserScope.System, CancellationToken.None);
        }

        var page = await app.SignedInPage("fa-IR");
        await page.GotoAsync($"contacts/{person}");
        await BrowserApp.WaitForBlazor(page);
        var pages = page.Locator(".mud-pagination");
        await Assertions.Expect(pages).ToContainTextAsync("۲");
        Assert.DoesNotMatch(LatinDigit(), await pages.InnerTextAsync());
        await page.Context.CloseAsync();
    }

    // A purchase line's quantity starts at ۱ and keeps what is typed in Persian digits.
    [Fact]
    public async Task A_quantity_reads_and_keeps_persian_digits()
    {
        var page = await app.SignedInPage("fa-IR");
        await page.GotoAsync("purchases/new");
        await BrowserApp.WaitForBlazor(page);
        var quantity = page.Locator("[data-testid=line-0-quantity]");
        await Assertions.Expect(quantity).ToHaveValueAsync("۱");
        await quantity.FillAsync("۱/۵");
        await quantity.PressAsync("Tab");
        await Assertions.Expect(quantity).ToHaveValueAsync("۱/۵");
        await Assertions.Expect(page.Locator("[data-testid=line-0]")).Not.ToContainTextAsync("عددی بزرگ‌تر از صفر");
        await quantity.FillAsync("صفر");
        await Assertions.Expect(page.Locator("[data-testid=line-0]")).ToContainTextAsync("عددی بزرگ‌تر از صفر");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_number_typed_in_persian_digits_into_a_list_filter_stays_persian_and_filters()
    {
        var page = await app.SignedInPage("fa-IR");
        await page.GotoAsync("contacts");
        await BrowserApp.WaitForBlazor(page);
        await page.ClickAsync("[data-testid=contacts-filters-toggle]");

        var purchases = page.Locator("[data-testid=filter-min-purchases]");
        await purchases.FillAsync("۲");
        await purchases.PressAsync("Tab");
        await page.WaitForURLAsync(url => url.Contains("minPurchases=2", StringComparison.Ordinal));
        await Assertions.Expect(purchases).ToHaveValueAsync("۲");

        var spent = page.Locator("[data-testid=filter-min-spent]");
        await spent.FillAsync("۱۲۳۴۵");
        await spent.PressAsync("Tab");
        await page.WaitForURLAsync(url => url.Contains("minSpent=", StringComparison.Ordinal));
        await Assertions.Expect(spent).ToHaveValueAsync("۱۲٬۳۴۵");
        await Assertions.Expect(purchases).ToHaveValueAsync("۲");

        // Coming back to the filtered list (another visit, the address kept) shows the filters in Persian digits too.
        await page.ReloadAsync();
        await BrowserApp.WaitForBlazor(page);
        await page.ClickAsync("[data-testid=contacts-filters-toggle]");
        await Assertions.Expect(page.Locator("[data-testid=filter-min-purchases]")).ToHaveValueAsync("۲");
        await page.Context.CloseAsync();
    }

    [GeneratedRegex("[0-9]")]
    private static partial Regex LatinDigit();
}
