using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Payvand.Modules.Contacts;
using Payvand.Platform.Auth;
using Payvand.Platform.Data;

namespace Payvand.E2E;

// The people list: a filter typed on page 2 starts again at page 1.
public sealed class SavedViewsTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    private async Task People(string city, int count)
    {
        using var scope = app.Services.CreateScope();
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<PayvandDb>>().CreateDbContextAsync();
        var branch = await db.Branches.OrderBy(b => b.Id).Select(b => b.Id).FirstAsync();
        var save = scope.ServiceProvider.GetRequiredService<SaveContact>();
        for (var i = 0; i < count; i++)
        {
            await save.Create(new ContactInput { FirstName = "Person" + i, LastName = city, City = city, BranchId = branch }, UserScope.System, CancellationToken.None);
        }
    }

    [Fact]
    public async Task A_filter_changed_on_page_two_shows_page_one()
    {
        await People("Zanjan", 30);
        await People("Birjand", 3);
        var page = await app.SignedInPage("en-US");
        await page.GotoAsync("contacts");
        await BrowserApp.WaitForBlazor(page);
        await page.Locator("[data-testid=contacts-grid] .mud-table-pagination-actions button").Nth(2).ClickAsync(); // next page
        await Assertions.Expect(page.Locator("[data-testid=contacts-grid] .mud-table-pagination-caption").Last).ToContainTextAsync("26-");

        await page.Locator("[data-testid=contacts-q] input, input[data-testid=contacts-q]").FillAsync("Birjand");
        await Assertions.Expect(page.Locator("[data-testid=contacts-grid] tbody tr")).ToHaveCountAsync(3);
        await Assertions.Expect(page.Locator("[data-testid=contacts-grid] .mud-table-pagination-caption").Last).ToContainTextAsync("1-3");
        await page.Context.CloseAsync();
    }
}
