using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Payvand.Modules.Contacts;
using Payvand.Modules.Segments;
using Payvand.Platform.Data;

namespace Payvand.E2E;

// The segment rule builder in Persian: a rule with a nested group is built field by field, the live count follows each
// condition, and the segment is saved and frozen into a static list of the same people.
public sealed class SegmentsTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    private static string Input(string testId) => $"[data-testid={testId}] input, input[data-testid={testId}]";

    [Fact]
    public async Task Build_a_nested_rule_in_persian_watch_the_count_save_and_freeze()
    {
        var tag = "بخش" + Guid.NewGuid().ToString("N")[..6];
        await using (var scope = app.Services.CreateAsyncScope())
        {
            await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<PayvandDb>>().CreateDbContextAsync();
            var branch = await db.Branches.OrderBy(b => b.Id).Select(b => b.Id).FirstAsync();
            foreach (var (name, city) in new[] { ("سارا", "شیراز"), ("رضا", "شیراز"), ("مینا", "تهران") })
            {
                db.Contacts.Add(new Contact { FirstName = name, LastName = tag, SortName = name, City = city, BranchId = branch, Tags = [new ContactTag { Name = tag }] });
            }

            await db.SaveChangesAsync();
        }

        var page = await app.SignedInPage("fa-IR");
        await page.GotoAsync("segments");
        await BrowserApp.WaitForBlazor(page);
        await page.ClickAsync("[data-testid=new-segment]");
        await page.WaitForURLAsync(url => url.EndsWith("/segments/new", StringComparison.Ordinal));
        await BrowserApp.WaitForBlazor(page);
        var count = page.Locator("[data-testid=segment-count]");
        await Assertions.Expect(count).Not.ToHaveTextAsync("…");

        // All of: tagged with the tag (three people) ...
        await page.FillAsync(Input("segment-name"), "مشتریان " + tag);
        await page.ClickAsync("[data-testid=rule-add-condition]");
        await page.ClickAsync("[data-testid=rule-condition-0-field]");
        await page.Locator(".mud-popover-open .mud-list-item", new() { HasText = "برچسب" }).First.ClickAsync();
        await page.FillAsync(Input("rule-condition-0-set"), tag);
        await page.PressAsync(Input("rule-condition-0-set"), "Tab");
        await Assertions.Expect(count).ToHaveTextAsync("۳");

        // ... and a group: any of city is Shiraz (two of them).
        await page.ClickAsync("[data-testid=rule-add-group]");
        await page.ClickAsync("[data-testid=rule-group-0-match]");
        await page.Locator(".mud-popover-open .mud-list-item", new() { HasText = "دست‌کم یکی از این شرط‌ها" }).ClickAsync();
        await page.ClickAsync("[data-testid=rule-group-0-condition-0-field]");
        await page.Locator(".mud-popover-open .mud-list-item", new() { HasText = "شهر" }).First.ClickAsync();
        await page.FillAsync(Input("rule-group-0-condition-0-value-0"), "شیراز");
        await page.PressAsync(Input("rule-group-0-condition-0-value-0"), "Tab");
        await Assertions.Expect(count).ToHaveTextAsync("۲");
        await Assertions.Expect(page.Locator("[data-testid=segment-sample]")).ToHaveCountAsync(2);

        await page.ClickAsync("[data-testid=segment-save]");
        await page.WaitForURLAsync(url => System.Text.RegularExpressions.Regex.IsMatch(url, @"/segments/\d+$"));
        await BrowserApp.WaitForBlazor(page);
        var savedUrl = page.Url;
        await Assertions.Expect(count).ToHaveTextAsync("۲");

        await page.ClickAsync("[data-testid=segment-freeze]");
        await page.WaitForURLAsync(url => url != savedUrl && System.Text.RegularExpressions.Regex.IsMatch(url, @"/segments/\d+$"));
        await BrowserApp.WaitForBlazor(page);
        await Assertions.Expect(page.Locator("[data-testid=segment-kind]")).ToHaveTextAsync("ثابت");
        await Assertions.Expect(count).ToHaveTextAsync("۲");

        await using (var scope = app.Services.CreateAsyncScope())
        {
            await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<PayvandDb>>().CreateDbContextAsync();
            var saved = await db.Set<Segment>().AsNoTracking().SingleAsync(s => s.Name == "مشتریان " + tag);
            Assert.Equal(SegmentKind.Dynamic, saved.Kind);
            Assert.Contains("\"groups\"", saved.Rule, StringComparison.Ordinal);
            var frozen = await db.Set<Segment>().AsNoTracking().SingleAsync(s => s.Kind == SegmentKind.Static && s.Name.StartsWith("مشتریان " + tag));
            var members = await db.Set<SegmentMember>().Where(m => m.SegmentId == frozen.Id).Join(db.Contacts, m => m.ContactId, c => c.Id, (m, c) => c.FirstName).ToListAsync();
            Assert.Equal(["رضا", "سارا"], members.Order(StringComparer.Ordinal));
        }
    }
}
