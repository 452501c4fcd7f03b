using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Payvand.Modules.Companies;
using Payvand.Modules.Contacts;
using Payvand.Platform.Auth;
using Payvand.Platform.Data;

namespace Payvand.E2E;

// A person works for a company: chosen on the person's form by typing part of the company's name, or added from the
// company page (an existing person, or a new one whose form starts with the company chosen); the company lists them.
public sealed class CompanyPeopleTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    private async Task<T> Use<T>(Func<IServiceProvider, int, Task<T>> work)
    {
        using var scope = app.Services.CreateScope();
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<PayvandDb>>().CreateDbContextAsync();
        var branch = await db.Branches.OrderBy(b => b.Id).Select(b => b.Id).FirstAsync();
        return await work(scope.ServiceProvider, branch);
    }

    private Task<int> Company(string name) => Use((s, branch) => s.GetRequiredService<SaveCompany>()
        .Create(new CompanyInput { Name = name, BranchId = branch }, UserScope.System, CancellationToken.None));

    private Task<int> Person(string first, string last) => Use((s, branch) => s.GetRequiredService<SaveContact>()
        .Create(new ContactInput { FirstName = first, LastName = last, BranchId = branch }, UserScope.System, CancellationToken.None));

    [Fact]
    public async Task The_person_form_chooses_a_company_by_name_in_english()
    {
        var company = await Company("Sepidar Trading");
        var page = await app.SignedInPage("en-US");
        await page.GotoAsync("contacts/new");
        await BrowserApp.WaitForBlazor(page);
        await page.FillAsync("[data-testid=last-name]", "Karimi");
        await page.FillAsync("input[data-testid=company-picker], [data-testid=company-picker] input", "Sepid");
        await page.Locator(".mud-popover-open .mud-list-item", new PageLocatorOptions { HasText = "Sepidar Trading" }).ClickAsync();
        await page.ClickAsync("[data-testid=save-contact]");

        await Assertions.Expect(page.Locator("[data-testid=contact-company]")).ToHaveTextAsync("Sepidar Trading");
        await page.ClickAsync("[data-testid=contact-company]");
        await page.WaitForURLAsync(url => url.EndsWith($"/companies/{company}", StringComparison.Ordinal));
        await Assertions.Expect(page.Locator("[data-testid=company-person]")).ToHaveTextAsync("Karimi");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task The_company_page_adds_an_existing_person_and_a_new_one_in_persian()
    {
        var company = await Company("آرین پخش");
        await Person("سمیرا", "توکلی");
        var page = await app.SignedInPage("fa-IR");
        await page.GotoAsync($"companies/{company}");
        await BrowserApp.WaitForBlazor(page);

        await page.ClickAsync("[data-testid=add-person]");
        // The search's answer may redraw the list under a click (a loaded machine): choose again until the choice holds.
        var link = page.Locator("[data-testid=link-person]");
        for (var attempt = 0; attempt < 3 && !await link.IsEnabledAsync(); attempt++)
        {
            await page.FillAsync("input[data-testid=add-person-search], [data-testid=add-person-search] input", "توکلی");
            await page.Locator(".mud-popover-open .mud-list-item", new PageLocatorOptions { HasText = "سمیرا توکلی" }).ClickAsync();
            await page.WaitForTimeoutAsync(attempt == 0 ? 300 : 1000);
        }

        await link.ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=company-person]")).ToHaveTextAsync("سمیرا توکلی");

        await page.ClickAsync("[data-testid=add-person]");
        await page.ClickAsync("[data-testid=add-new-person]");
        await page.WaitForURLAsync(url => url.Contains($"/contacts/new?companyId={company}", StringComparison.Ordinal));
        await BrowserApp.WaitForBlazor(page);
        await Assertions.Expect(page.Locator("input[data-testid=company-picker], [data-testid=company-picker] input")).ToHaveValueAsync("آرین پخش");
        await page.FillAsync("[data-testid=last-name]", "شریفی");
        await page.ClickAsync("[data-testid=save-contact]");
        await Assertions.Expect(page.Locator("[data-testid=contact-company]")).ToHaveTextAsync("آرین پخش");

        await page.GotoAsync($"companies/{company}");
        await BrowserApp.WaitForBlazor(page);
        await Assertions.Expect(page.Locator("[data-testid=company-person]")).ToHaveCountAsync(2);
        await Assertions.Expect(page.Locator("[data-testid=company-people-count]")).ToContainTextAsync("۲");
        await page.Context.CloseAsync();
    }
}
