using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Payvand.Modules.Contacts;
using Payvand.Platform.Auth;
using Payvand.Platform.Data;

namespace Payvand.E2E;

// The people list's saved views: saved with one click on Save, the chosen view's name shown, renamed, with the columns
// the user chose; and a filter typed on page 2 starts again at page 1.
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

    private static ILocator Header(IPage page) => page.Locator("[data-testid=contacts-grid] thead");

    [Fact]
    public async Task A_view_saves_with_one_click_shows_its_name_renames_and_keeps_its_columns()
    {
        await People("Ardabil", 2);
        var page = await app.SignedInPage("en-US");
        await page.GotoAsync("contacts?city=Ardabil");
        await BrowserApp.WaitForBlazor(page);
        await Assertions.Expect(Header(page)).ToContainTextAsync("Email");

        // Hide the email column, then save the view: typing the name and one click on Save.
        await page.ClickAsync("[data-testid=columns-menu] button, button[data-testid=columns-menu]");
        await page.ClickAsync("[data-testid=column-email]");
        await page.Keyboard.PressAsync("Escape");
        await Assertions.Expect(Header(page)).Not.ToContainTextAsync("Email");
        await page.ClickAsync("[data-testid=views-menu] button, button[data-testid=views-menu]");
        await page.ClickAsync("[data-testid=save-view]");
        // The whole name at once: keys typed while the dialog is still opening can land in a field it then redraws.
        await page.Locator("[data-testid=name-input]").FillAsync("Ardabil people");
        await Assertions.Expect(page.Locator("[data-testid=name-input]")).ToHaveValueAsync("Ardabil people");
        await page.ClickAsync("[data-testid=name-save]");
        await Assertions.Expect(page.Locator("[data-testid=views-menu]")).ToContainTextAsync("Ardabil people");

        await page.ClickAsync("[data-testid=rename-view]");
        await page.Locator("[data-testid=name-input]").FillAsync("Ardabil customers");
        await page.ClickAsync("[data-testid=name-save]");
        await Assertions.Expect(page.Locator("[data-testid=views-menu]")).ToContainTextAsync("Ardabil customers");

        // Another visit starts with every column; choosing the view brings back its filter and columns.
        await page.GotoAsync("contacts");
        await BrowserApp.WaitForBlazor(page);
        await Assertions.Expect(Header(page)).ToContainTextAsync("Email");
        await page.ClickAsync("[data-testid=views-menu] button, button[data-testid=views-menu]");
        await page.Locator("[data-testid=view-item]", new PageLocatorOptions { HasText = "Ardabil customers" }).ClickAsync();
        await Assertions.Expect(Header(page)).Not.ToContainTextAsync("Email");
        await Assertions.Expect(page.Locator("[data-testid=contacts-grid] tbody tr")).ToHaveCountAsync(2);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_filter_changed_on_page_two_shows_page_one()
    {
        await People("Zanjan", 30);
        await People("Birjand", 3);
        var page = await app.SignedInPage("en-US");
        await page.GotoAsync("contacts");
        await BrowserApp.WaitForBlazor(page);
        // The pager moves on only once the first page and its count have arrived.
        await Assertions.Expect(page.Locator("[data-testid=contacts-grid] .mud-table-pagination-caption").Last).ToContainTextAsync("1-25 of 33");
        await page.Locator("[data-testid=contacts-grid] .mud-table-pagination-actions button").Nth(2).ClickAsync(); // next page
        await Assertions.Expect(page.Locator("[data-testid=contacts-grid] .mud-table-pagination-caption").Last).ToContainTextAsync("26-");

        await page.Locator("[data-testid=contacts-q] input, input[data-testid=contacts-q]").FillAsync("Birjand");
        await Assertions.Expect(page.Locator("[data-testid=contacts-grid] tbody tr")).ToHaveCountAsync(3);
        await Assertions.Expect(page.Locator("[data-testid=contacts-grid] .mud-table-pagination-caption").Last).ToContainTextAsync("1-3");
        await page.Context.CloseAsync();
    }
}
