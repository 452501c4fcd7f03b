using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Payvand.Modules.Contacts;
using Payvand.Modules.Messaging;
using Payvand.Platform.Auth;
using Payvand.Platform.Data;

namespace Payvand.E2E;

// SMS received, in Persian: reached from the message log, an opt-out reply from a known person is listed with the
// person linked and its action as a chip in Persian beside a message from an unknown number; filtering by "no action"
// leaves only the latter. Email channels: "check now" on a mailbox that cannot be reached says so in Persian.
public sealed class InboundSmsTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    [Fact]
    public async Task Inbound_sms_are_listed_in_persian_with_their_person_and_action_and_filtered()
    {
        await using (var scope = app.Services.CreateAsyncScope())
        {
            await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<PayvandDb>>().CreateDbContextAsync();
            var branchId = await db.Branches.OrderBy(b => b.Id).Select(b => b.Id).FirstAsync();
            var contactId = await scope.ServiceProvider.GetRequiredService<SaveContact>().Create(
                new ContactInput { FirstName = "نرگس", LastName = "پاسخگو", BranchId = branchId }, UserScope.System, CancellationToken.None);
            var now = TimeProvider.System.GetUtcNow().UtcDateTime;
            db.Add(new InboundSms { Line = "10004346", From = "+989121110000", Text = "لغو", Key = "e2e:1", ReceivedAt = now.AddMinutes(-2), ContactId = contactId, Action = InboundSmsAction.OptedOut, CreatedAt = now });
            db.Add(new InboundSms { Line = "10004346", From = "+989351112222", Text = "ساعت کاری شعبه؟", Key = "e2e:2", ReceivedAt = now.AddMinutes(-1), Action = InboundSmsAction.None, CreatedAt = now });
            await db.SaveChangesAsync();
        }

        var page = await app.SignedInPage("fa-IR");
        await page.GotoAsync("messages");
        await BrowserApp.WaitForBlazor(page);
        await page.ClickAsync("[data-testid=messages-inbound]");
        await page.WaitForURLAsync(url => url.EndsWith("/messages/inbound", StringComparison.Ordinal));
        await BrowserApp.WaitForBlazor(page);
        await Assertions.Expect(page.Locator("h5", new() { HasText = "پیامک‌های دریافتی" })).ToBeVisibleAsync();
        var grid = page.Locator("[data-testid=inbound-grid]");
        var reply = grid.Locator("tr", new() { HasText = "نرگس پاسخگو" });
        await Assertions.Expect(reply.Locator("[data-testid=inbound-action-chip]")).ToHaveTextAsync("انصراف از پیامک‌های تبلیغاتی");
        await Assertions.Expect(reply.Locator("[data-testid=inbound-text]")).ToHaveTextAsync("لغو");
        await Assertions.Expect(reply.Locator("[data-testid=inbound-from]")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("۰۹۱۲"));
        var question = grid.Locator("tr", new() { HasText = "ساعت کاری شعبه؟" });
        await Assertions.Expect(question.Locator("[data-testid=inbound-action-chip]")).ToHaveTextAsync("بدون اقدام");

        await page.ClickAsync("[data-testid=inbound-action]");
        await page.Locator(".mud-popover-open .mud-list-item", new() { HasText = "بدون اقدام" }).ClickAsync();
        await Assertions.Expect(reply).ToHaveCountAsync(0);
        await Assertions.Expect(question).ToHaveCountAsync(1);

        await page.GotoAsync("messages/inbound");
        await BrowserApp.WaitForBlazor(page);
        await grid.Locator("[data-testid=inbound-person]", new() { HasText = "نرگس پاسخگو" }).ClickAsync();
        await page.WaitForURLAsync(url => url.Contains("/contacts/", StringComparison.Ordinal));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Check_now_on_an_unreachable_bounce_mailbox_tells_why_in_persian()
    {
        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<EmailChannels>().Save(null, new EmailChannelInput(
                "check-e2e", "ایمیل باشگاه", "smtp.example.com", 587, FromAddress: "club@example.com",
                BounceHost: "127.0.0.1", BouncePort: 1, BounceTls: EmailTls.None, BounceUserName: "bounces", BouncePassword: "an imap password"), CancellationToken.None);
        }

        var page = await app.SignedInPage("fa-IR");
        await page.GotoAsync("admin/email");
        await BrowserApp.WaitForBlazor(page);
        var row = page.Locator("tr", new() { HasText = "ایمیل باشگاه" });
        await row.Locator("[data-testid=email-bounce-check]").ClickAsync();
        var result = page.Locator("[data-testid=email-bounce-check-result]");
        await Assertions.Expect(result.Locator("[data-testid=email-bounce-check-error]")).ToHaveTextAsync("اتصال به سرور IMAP ممکن نشد.");
        await Assertions.Expect(result).ToContainTextAsync("ایمیل باشگاه");
        await Assertions.Expect(row).ToContainTextAsync("صندوق برگشتی‌ها خوانده نمی‌شود");
        await page.Context.CloseAsync();

        await using var db = await app.Services.GetRequiredService<IDbContextFactory<PayvandDb>>().CreateDbContextAsync();
        Assert.True(await db.Audit.AnyAsync(a => a.EntityType == nameof(EmailChannel) && a.Detail!.StartsWith("Bounce mailbox checked") && a.UserName != null));
    }
}
