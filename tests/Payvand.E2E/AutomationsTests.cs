using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Payvand.Modules.Contacts;
using Payvand.Modules.Messaging.Automations;
using Payvand.Modules.Messaging.Templates;
using Payvand.Platform.Data;

namespace Payvand.E2E;

// The automations page in Persian: a "we miss you" automation relative to each person's own rhythm is written with its
// trigger, parameters (a factor typed in Persian digits; one out of bounds is refused under its field) and an SMS
// template, then listed and switched on from the list.
public sealed class AutomationsTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    private static string Input(string testId) => $"[data-testid={testId}] input, input[data-testid={testId}]";

    [Fact]
    public async Task Create_a_we_miss_you_automation_in_persian_and_switch_it_on()
    {
        var templateName = "دلتنگی " + Guid.NewGuid().ToString("N")[..4];
        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<SaveTemplate>().Create(new TemplateInput
            {
                Name = templateName,
                Channel = "sms",
                Purpose = ContactPurpose.Promotional,
                Body = "{{ person.first_name }}، دلمان برایتان تنگ شده",
            }, CancellationToken.None);
        }

        var page = await app.SignedInPage("fa-IR");
        await page.GotoAsync("automations");
        await BrowserApp.WaitForBlazor(page);
        await page.ClickAsync("[data-testid=new-automation]");
        await page.WaitForURLAsync(url => url.EndsWith("/automations/new", StringComparison.Ordinal));
        await BrowserApp.WaitForBlazor(page);

        await page.FillAsync(Input("automation-name"), "بازگشت مشتریان");
        await page.ClickAsync("[data-testid=automation-trigger]");
        await page.Locator(".mud-popover-open .mud-list-item", new() { HasText = "دلتنگ شما هستیم" }).ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=automation-trigger-description]")).ToContainTextAsync("فاصله معمول");
        await page.ClickAsync("[data-testid=automation-param-mode]");
        await page.Locator(".mud-popover-open .mud-list-item", new() { HasText = "نسبت به فاصله معمول خریدهای شخص" }).ClickAsync();
        await page.FillAsync(Input("automation-param-factor"), "۵۰");
        await page.ClickAsync("[data-testid=automation-template]");
        await page.Locator(".mud-popover-open .mud-list-item", new() { HasText = templateName }).ClickAsync();

        // Out of bounds: refused under the field, in Persian, nothing saved.
        await page.ClickAsync("[data-testid=automation-save]");
        await Assertions.Expect(page.Locator(".mud-input-helper-text.mud-input-error", new() { HasText = "باید عددی بین" })).ToBeVisibleAsync();
        Assert.EndsWith("/automations/new", page.Url, StringComparison.Ordinal);

        await page.FillAsync(Input("automation-param-factor"), "۳");
        await page.ClickAsync("[data-testid=automation-save]");
        await page.WaitForURLAsync(url => url.EndsWith("/automations", StringComparison.Ordinal));
        await BrowserApp.WaitForBlazor(page);
        var row = page.Locator("[data-testid=automations-table] tr", new() { HasText = "بازگشت مشتریان" });
        await Assertions.Expect(row).ToContainTextAsync("دلتنگ شما هستیم");
        await Assertions.Expect(row).ToContainTextAsync(templateName);

        // Written switched off (the editor's default), switched on from the list.
        var toggle = row.Locator("input[type=checkbox]");
        await Assertions.Expect(toggle).ToHaveAttributeAsync("aria-checked", "false");
        await toggle.ClickAsync();
        await Assertions.Expect(toggle).ToHaveAttributeAsync("aria-checked", "true");
        await using (var scope = app.Services.CreateAsyncScope())
        {
            await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<PayvandDb>>().CreateDbContextAsync();
            Automation? saved = null;
            for (var i = 0; i < 50 && saved is not { Enabled: true }; i++)
            {
                saved = await db.Automations.AsNoTracking().SingleAsync(a => a.Name == "بازگشت مشتریان");
                if (!saved.Enabled) await Task.Delay(100);
            }

            Assert.True(saved!.Enabled);
            Assert.Equal(("miss-you", "sms", ContactPurpose.Promotional), (saved.Trigger, saved.Channel, saved.Purpose));
            Assert.Equal("relative", saved.ParameterValues()["mode"]);
            Assert.Equal("3", saved.ParameterValues()["factor"]);
        }

        await page.Context.CloseAsync();
    }
}
