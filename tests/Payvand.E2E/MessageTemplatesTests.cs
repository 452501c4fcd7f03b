using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Payvand.Modules.Contacts;
using Payvand.Platform.Auth;
using Payvand.Platform.Data;

namespace Payvand.E2E;

// The template editor in Persian: the SMS counter follows the text as it is typed (one part up to 70 Persian
// characters, two from 71), a preview against a real person shows their name, and a template error is shown under the
// text with its line and column, never saved.
public sealed class MessageTemplatesTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    private const string Body = "[data-testid=template-body] textarea, textarea[data-testid=template-body]";

    [Fact]
    public async Task Write_a_persian_sms_template_count_its_parts_and_preview_it_for_a_person()
    {
        await using (var scope = app.Services.CreateAsyncScope())
        {
            await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<PayvandDb>>().CreateDbContextAsync();
            var branchId = await db.Branches.OrderBy(b => b.Id).Select(b => b.Id).FirstAsync();
            await scope.ServiceProvider.GetRequiredService<SaveContact>().Create(
                new ContactInput { FirstName = "نیلوفر", LastName = "قالب‌نگار", BranchId = branchId }, UserScope.System, CancellationToken.None);
        }

        var page = await app.SignedInPage("fa-IR");
        await page.GotoAsync("templates");
        await BrowserApp.WaitForBlazor(page);
        await page.ClickAsync("[data-testid=new-template]");
        await page.WaitForURLAsync(url => url.EndsWith("/templates/new", StringComparison.Ordinal));
        await BrowserApp.WaitForBlazor(page);

        await page.FillAsync(Body, new string('س', 70));
        await Assertions.Expect(page.Locator("[data-testid=sms-characters]")).ToHaveTextAsync("۷۰");
        await Assertions.Expect(page.Locator("[data-testid=sms-parts]")).ToHaveTextAsync("۱");
        await Assertions.Expect(page.Locator("[data-testid=sms-left]")).ToHaveTextAsync("۰");
        await page.Locator(Body).PressSequentiallyAsync("ب");
        await Assertions.Expect(page.Locator("[data-testid=sms-characters]")).ToHaveTextAsync("۷۱");
        await Assertions.Expect(page.Locator("[data-testid=sms-parts]")).ToHaveTextAsync("۲");
        await Assertions.Expect(page.Locator("[data-testid=sms-left]")).ToHaveTextAsync("۶۳");

        await page.FillAsync(Body, "سلام {{ person.first_name }}، تخفیف شما {{ off }} است.");
        await page.FillAsync("[data-testid=preview-person] input, input[data-testid=preview-person]", "نیلوفر");
        await page.Locator(".mud-popover-open .mud-list-item", new() { HasText = "نیلوفر قالب‌نگار" }).ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=preview-person] input, input[data-testid=preview-person]")).ToHaveValueAsync(new System.Text.RegularExpressions.Regex("نیلوفر قالب‌نگار"));
        await page.FillAsync("[data-testid=preview-values] textarea, textarea[data-testid=preview-values]", "off=۲۰٪");
        await Assertions.Expect(page.Locator("[data-testid=preview-button]")).ToBeEnabledAsync();
        await page.ClickAsync("[data-testid=preview-button]");
        // No error: the preview is the person's message.
        await Assertions.Expect(page.Locator("[data-testid=preview-text], [data-testid=preview-error]").First).ToBeVisibleAsync();
        Assert.Equal(0, await page.Locator("[data-testid=preview-error]").CountAsync());
        await Assertions.Expect(page.Locator("[data-testid=preview-text]")).ToHaveTextAsync("سلام نیلوفر، تخفیف شما ۲۰٪ است.");

        // A broken template is shown under the text with its line and column, and not saved.
        await page.FillAsync("[data-testid=template-name] input, input[data-testid=template-name]", "خوشامد");
        await page.FillAsync(Body, "سلام\n{{ person.first_name ");
        await page.ClickAsync("[data-testid=template-save]");
        await Assertions.Expect(page.Locator(".mud-input-helper-text.mud-input-error", new() { HasText = "سطر ۲، ستون ۲۱" })).ToBeVisibleAsync();
        Assert.EndsWith("/templates/new", page.Url, StringComparison.Ordinal);

        await page.FillAsync(Body, "سلام {{ person.first_name }}");
        await page.ClickAsync("[data-testid=template-save]");
        await page.WaitForURLAsync(url => System.Text.RegularExpressions.Regex.IsMatch(url, @"/templates/\d+$"));
        await page.GotoAsync("templates");
        await BrowserApp.WaitForBlazor(page);
        await Assertions.Expect(page.Locator("[data-testid=template-link]", new() { HasText = "خوشامد" })).ToBeVisibleAsync();
        await page.Context.CloseAsync();
    }
}
