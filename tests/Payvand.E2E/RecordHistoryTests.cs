using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Payvand.Modules.Contacts;
using Payvand.Platform.Auth;
using Payvand.Platform.Data;

namespace Payvand.E2E;

// A person's change history reads as the user reads: labels in their language, the branch by name, the birth date in
// Jalali for Persian; no internal columns (SortName, BranchId) and no US-style dates.
public sealed class RecordHistoryTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    [Theory]
    [InlineData("fa-IR", "تاریخ تولد", "۱۳۷۲/۰۵/۱۴", "شعبه")]
    [InlineData("en-US", "Birth date", "1993-08-05", "Branch")]
    public async Task The_history_tab_shows_labels_names_and_dates_in_the_users_language(string culture, string birthLabel, string birthText, string branchLabel)
    {
        int id;
        string branchName;
        using (var scope = app.Services.CreateScope())
        {
            await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<PayvandDb>>().CreateDbContextAsync();
            var branch = await db.Branches.OrderBy(b => b.Id).FirstAsync();
            branchName = branch.Name;
            id = await scope.ServiceProvider.GetRequiredService<SaveContact>().Create(new ContactInput
            {
                FirstName = "نیما",
                LastName = "اکبری",
                BirthDate = new DateOnly(1993, 8, 5),
                BranchId = branch.Id,
            }, UserScope.System, CancellationToken.None);
        }

        var page = await app.SignedInPage(culture);
        await page.GotoAsync($"contacts/{id}");
        await BrowserApp.WaitForBlazor(page);
        await page.Locator(".mud-tab", new PageLocatorOptions { HasText = culture == "fa-IR" ? "تاریخچه تغییرات" : "Change history" }).ClickAsync();
        var history = page.Locator("[data-testid=record-history]");
        await Assertions.Expect(history.Locator("tr", new LocatorLocatorOptions { HasText = birthLabel })).ToContainTextAsync(birthText);
        await Assertions.Expect(history.Locator("tr", new LocatorLocatorOptions { HasText = branchLabel }).First).ToContainTextAsync(branchName);
        var text = await history.InnerTextAsync();
        Assert.DoesNotContain("SortName", text, StringComparison.Ordinal);
        Assert.DoesNotContain("BranchId", text, StringComparison.Ordinal);
        Assert.DoesNotContain("08/05/1993", text, StringComparison.Ordinal);
        await page.Context.CloseAsync();
    }
}
