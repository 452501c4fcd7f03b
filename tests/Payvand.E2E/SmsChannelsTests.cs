using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Payvand.Modules.Messaging;
using Payvand.Platform.Data;

namespace Payvand.E2E;

// The SMS channels page in Persian: a wrong base address and a sender line that is not a number are shown under their
// fields in Persian and nothing is saved; corrected (sender lines typed in Persian digits), the channel is listed with
// its lines in Persian digits and its API key only as "set (…last four)", stored protected and with Latin digits; an
// edit that leaves the API key empty keeps it.
public sealed class SmsChannelsTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    private const string ApiKey = "E2E-sms-api-key-7f3a";

    private static string Field(string testId) => $"[data-testid={testId}] input, input[data-testid={testId}]";

    private async Task<SmsChannel?> Stored(string key)
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<PayvandDb>>().CreateDbContextAsync();
        return await db.Set<SmsChannel>().AsNoTracking().SingleOrDefaultAsync(c => c.Key == key);
    }

    [Fact]
    public async Task An_sms_channel_is_added_in_persian_with_field_errors_first_and_its_key_kept_on_edit()
    {
        var page = await app.SignedInPage("fa-IR");
        await page.GotoAsync("admin/sms");
        await BrowserApp.WaitForBlazor(page);
        await page.ClickAsync("[data-testid=sms-new]");
        await page.FillAsync(Field("sms-name"), "پیامک فروشگاه");
        await page.FillAsync(Field("sms-key"), "shop-sms");
        await page.FillAsync(Field("sms-base-url"), "ftp://api.example.com");
        await page.FillAsync(Field("sms-api-key"), ApiKey);
        await page.FillAsync(Field("sms-lines"), "۱۰۰۰۸۰۰۰, 30abc");
        await page.ClickAsync("[data-testid=sms-save]");
        await Assertions.Expect(page.Locator(".mud-input-helper-text.mud-input-error", new() { HasText = "باید نشانی http یا https باشد" })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator(".mud-input-helper-text.mud-input-error", new() { HasText = "هر خط ارسال عددی ۴ تا ۲۰ رقمی است" })).ToBeVisibleAsync();
        Assert.Null(await Stored("shop-sms"));

        await page.FillAsync(Field("sms-base-url"), "https://api.kavenegar.com");
        await page.FillAsync(Field("sms-lines"), "۱۰۰۰۸۰۰۰, ۲۰۰۰۵۰۰");
        await page.ClickAsync("[data-testid=sms-save]");
        var row = page.Locator("tr", new() { HasText = "پیامک فروشگاه" });
        await Assertions.Expect(row).ToContainTextAsync("۱۰۰۰۸۰۰۰, ۲۰۰۰۵۰۰");
        await Assertions.Expect(row).ToContainTextAsync("تنظیم شده (…7f3a)");
        await Assertions.Expect(page.Locator("body")).Not.ToContainTextAsync(ApiKey);

        var saved = await Stored("shop-sms");
        Assert.NotNull(saved);
        Assert.Equal(("https://api.kavenegar.com", "10008000,2000500"), (saved.BaseUrl, string.Join(',', saved.LineList())));
        Assert.NotNull(saved.ProtectedApiKey);
        Assert.DoesNotContain(ApiKey, saved.ProtectedApiKey, StringComparison.Ordinal);

        // The saved channel is open for editing, its API key field empty: renamed and saved, the key is kept.
        await Assertions.Expect(page.Locator(Field("sms-api-key"))).ToHaveValueAsync("");
        await page.FillAsync(Field("sms-name"), "پیامک شعبه");
        await page.ClickAsync("[data-testid=sms-save]");
        await Assertions.Expect(page.Locator("tr", new() { HasText = "پیامک شعبه" })).ToContainTextAsync("تنظیم شده (…7f3a)");
        await page.Context.CloseAsync();

        var edited = await Stored("shop-sms");
        Assert.Equal(("پیامک شعبه", saved.ProtectedApiKey), (edited!.Name, edited.ProtectedApiKey));
    }
}
