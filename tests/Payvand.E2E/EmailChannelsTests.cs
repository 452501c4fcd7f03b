using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Payvand.Modules.Messaging;
using Payvand.Platform.Data;

namespace Payvand.E2E;

// The email channels page in Persian: a wrong From address and a bounce mailbox without its password are shown under
// their fields in Persian and nothing is saved; corrected, the channel is saved with its passwords protected (the page
// says they are set, never shows them) and listed.
public sealed class EmailChannelsTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    private static string Field(string testId) => $"[data-testid={testId}] input, input[data-testid={testId}]";

    [Fact]
    public async Task An_email_channel_is_added_in_persian_with_field_errors_first()
    {
        var page = await app.SignedInPage("fa-IR");
        await page.GotoAsync("admin/email");
        await BrowserApp.WaitForBlazor(page);
        await page.FillAsync(Field("email-name"), "ایمیل فروشگاه");
        await page.FillAsync(Field("email-key"), "shop");
        await page.FillAsync(Field("email-host"), "smtp.example.com");
        await page.FillAsync(Field("email-user"), "news");
        await page.FillAsync(Field("email-password"), "a password of the e2e test");
        await page.FillAsync(Field("email-from"), "not-an-address");
        await page.FillAsync(Field("email-bounce-host"), "imap.example.com");
        await page.FillAsync(Field("email-bounce-user"), "bounces");
        await page.ClickAsync("[data-testid=email-save]");
        await Assertions.Expect(page.Locator(".mud-input-helper-text.mud-input-error", new() { HasText = "نشانی ایمیل معتبر نیست" })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator(".mud-input-helper-text.mud-input-error", new() { HasText = "وارد کردن گذرواژه IMAP الزامی است" })).ToBeVisibleAsync();

        await page.FillAsync(Field("email-bounce-password"), "an imap password of the e2e test");
        await page.FillAsync(Field("email-from"), "news@example.com");
        await page.ClickAsync("[data-testid=email-save]");
        await Assertions.Expect(page.Locator("tr", new() { HasText = "ایمیل فروشگاه" })).ToContainTextAsync("news@example.com");
        await page.Context.CloseAsync();

        await using var db = await app.Services.GetRequiredService<IDbContextFactory<PayvandDb>>().CreateDbContextAsync();
        var saved = await db.Set<EmailChannel>().SingleAsync(c => c.Key == "shop");
        Assert.Equal(("smtp.example.com", 587, "news@example.com"), (saved.Host, saved.Port, saved.FromAddress));
        Assert.NotNull(saved.ProtectedPassword);
        Assert.DoesNotContain("a password of the e2e test", saved.ProtectedPassword, StringComparison.Ordinal);
        Assert.Equal(("imap.example.com", 993, "bounces", "INBOX"), (saved.BounceHost, saved.BouncePort, saved.BounceUserName, saved.BounceFolder));
        Assert.NotNull(saved.ProtectedBouncePassword);
        Assert.DoesNotContain("an imap password of the e2e test", saved.ProtectedBouncePassword, StringComparison.Ordinal);

        // A reading that failed (as EmailBounceMailbox records it) is shown on the channel's row and in its form.
        await db.Set<EmailChannel>().Where(c => c.Id == saved.Id).ExecuteUpdateAsync(s => s.SetProperty(c => c.BounceError, "AuthenticationException: Authentication failed."));
        var again = await app.SignedInPage("fa-IR");
        await again.GotoAsync("admin/email");
        await BrowserApp.WaitForBlazor(again);
        var row = again.Locator("tr", new() { HasText = "ایمیل فروشگاه" });
        await Assertions.Expect(row).ToContainTextAsync("صندوق برگشتی‌ها خوانده نمی‌شود");
        await row.ClickAsync();
        await Assertions.Expect(again.Locator("[data-testid=email-bounce-error]")).ToContainTextAsync("Authentication failed.");
        await again.Context.CloseAsync();
    }
}
