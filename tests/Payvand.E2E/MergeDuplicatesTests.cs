using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Payvand.Modules.Activities;
using Payvand.Modules.Contacts;
using Payvand.Platform.Auth;
using Payvand.Platform.Data;

namespace Payvand.E2E;

// Two records of one customer, made at two counters with the same mobile: the duplicates page shows them, the
// user merges them keeping the first name of one and the city of the other, and the survivor's timeline holds both histories.
public sealed class MergeDuplicatesTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    private async Task<int> Person(string first, string last, string city, string note, string mobile = "09127778899")
    {
        using var scope = app.Services.CreateScope();
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<PayvandDb>>().CreateDbContextAsync();
        var branch = await db.Branches.OrderBy(b => b.Id).Select(b => b.Id).FirstAsync();
        var id = await scope.ServiceProvider.GetRequiredService<SaveContact>().Create(new ContactInput
        {
            FirstName = first,
            LastName = last,
            City = city,
            BranchId = branch,
            Points = [new ContactPointInput(ContactPointKind.Mobile, mobile)],
        }, UserScope.System, CancellationToken.None);
        await scope.ServiceProvider.GetRequiredService<LogActivity>().OnContact(id, new ActivityInput { Kind = ActivityKind.Note, Body = note }, UserScope.System, CancellationToken.None);
        return id;
    }

    [Fact]
    public async Task Merge_two_people_from_the_duplicates_page_in_persian()
    {
        var survivor = await Person("پرستو", "نادری", "کرج", "خرید کفش از شعبه کرج");
        var other = await Person("پریسا", "نادری‌فر", "رشت", "تماس درباره گارانتی");

        var page = await app.SignedInPage("fa-IR");
        await page.GotoAsync("contacts/duplicates");
        await BrowserApp.WaitForBlazor(page);
        var group = page.Locator("[data-testid=duplicate-group]", new PageLocatorOptions { HasText = "نادری‌فر" });
        await Assertions.Expect(group).ToContainTextAsync("موبایل یکسان");
        await group.Locator("[data-testid=merge-pair]").ClickAsync();

        await page.WaitForURLAsync(url => url.Contains($"/contacts/{survivor}/merge/", StringComparison.Ordinal));
        await BrowserApp.WaitForBlazor(page);
        await page.ClickAsync("[data-testid=choice-firstName-other]");   // پریسا from the other record
        await page.ClickAsync("[data-testid=choice-city-survivor]");     // کرج from this one
        // What is kept is listed, purchases included; the merge asks before it removes a person.
        await Assertions.Expect(page.Locator("[data-testid=merge-keeps]")).ToContainTextAsync("خریدها");
        await page.ClickAsync("[data-testid=merge-confirm]");
        await Assertions.Expect(page.Locator(".mud-dialog")).ToContainTextAsync("پریسا نادری‌فر");
        await page.Locator(".mud-dialog .mud-dialog-actions button", new() { HasText = "ادغام" }).ClickAsync();

        await page.WaitForURLAsync(url => url.EndsWith($"/contacts/{survivor}", StringComparison.Ordinal));
        await Assertions.Expect(page.Locator("[data-testid=contact-name]")).ToHaveTextAsync("پریسا نادری");
        var timeline = page.Locator("[data-testid=timeline-item]");
        await Assertions.Expect(timeline).ToHaveCountAsync(2);
        await Assertions.Expect(page.Locator("body")).ToContainTextAsync("خرید کفش از شعبه کرج");
        await Assertions.Expect(page.Locator("body")).ToContainTextAsync("تماس درباره گارانتی");
        await Assertions.Expect(page.Locator("body")).ToContainTextAsync("کرج");

        // The merged-away person's old address leads to the survivor.
        await page.GotoAsync($"contacts/{other}");
        await page.WaitForURLAsync(url => url.EndsWith($"/contacts/{survivor}", StringComparison.Ordinal));
        await Assertions.Expect(page.Locator("[data-testid=contact-name]")).ToHaveTextAsync("پریسا نادری");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Not_a_duplicate_removes_the_pair_for_good_in_english()
    {
        await Person("Kaveh", "Sadri", "Qom", "first", "09125550011");
        await Person("Kaveh", "Sadri-Far", "Ilam", "second", "09125550011");
        var page = await app.SignedInPage("en-US");
        await page.GotoAsync("contacts/duplicates");
        await BrowserApp.WaitForBlazor(page);
        var group = page.Locator("[data-testid=duplicate-group]", new PageLocatorOptions { HasText = "Sadri-Far" });
        await group.Locator("[data-testid=not-duplicate]").ClickAsync();
        await Assertions.Expect(group).ToHaveCountAsync(0);

        await page.ReloadAsync();
        await BrowserApp.WaitForBlazor(page);
        await Assertions.Expect(page.Locator("[data-testid=duplicate-group]", new PageLocatorOptions { HasText = "Sadri-Far" })).ToHaveCountAsync(0);
        await page.Context.CloseAsync();
    }
}
