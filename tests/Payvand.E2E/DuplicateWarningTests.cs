using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Payvand.Modules.Contacts;
using Payvand.Platform.Auth;
using Payvand.Platform.Data;

namespace Payvand.E2E;

// A person typed in with the mobile of someone already in Payvand: the form warns with a link to that person, and a
// second click on save keeps the new person all the same.
public sealed class DuplicateWarningTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    private async Task<int> Person(string first, string last, string mobile)
    {
        using var scope = app.Services.CreateScope();
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<PayvandDb>>().CreateDbContextAsync();
        var branch = await db.Branches.OrderBy(b => b.Id).Select(b => b.Id).FirstAsync();
        return await scope.ServiceProvider.GetRequiredService<SaveContact>().Create(new ContactInput
        {
            FirstName = first,
            LastName = last,
            BranchId = branch,
            Points = [new ContactPointInput(ContactPointKind.Mobile, mobile)],
        }, UserScope.System, CancellationToken.None);
    }

    [Theory]
    [InlineData("fa-IR", "09121230001", "۰۹۱۲ ۱۲۳ ۰۰۰۱", "موبایل یکسان")]
    [InlineData("en-US", "09121230002", "0912 123 0002", "Same mobile")]
    public async Task The_form_warns_of_a_person_with_the_same_mobile_and_saves_on_a_second_click(string culture, string mobile, string typed, string reason)
    {
        var existing = await Person("لیلا", "حیدری", mobile);
        var page = await app.SignedInPage(culture);
        await page.GotoAsync("contacts/new");
        await BrowserApp.WaitForBlazor(page);
        await page.FillAsync("[data-testid=last-name]", "حیدری");
        await page.FillAsync("[data-testid=point-0]", typed);
        await page.ClickAsync("[data-testid=save-contact]");

        var warning = page.Locator("[data-testid=duplicate-warning]");
        await Assertions.Expect(warning).ToContainTextAsync(reason);
        await Assertions.Expect(warning.Locator("[data-testid=duplicate-link]")).ToHaveAttributeAsync("href", $"contacts/{existing}");
        await Assertions.Expect(warning.Locator("[data-testid=duplicate-link]")).ToHaveTextAsync("لیلا حیدری");
        Assert.EndsWith("/contacts/new", page.Url, StringComparison.Ordinal);

        await page.ClickAsync("[data-testid=save-contact]");
        await page.WaitForURLAsync(url => System.Text.RegularExpressions.Regex.IsMatch(url, @"/contacts/\d+$") && !url.EndsWith($"/contacts/{existing}", StringComparison.Ordinal));
        await Assertions.Expect(page.Locator("[data-testid=contact-name]")).ToHaveTextAsync("حیدری");
        await page.Context.CloseAsync();
    }
}
