using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Payvand.Modules.Contacts;
using Payvand.Modules.Messaging;
using Payvand.Platform.Auth;
using Payvand.Platform.Data;

namespace Payvand.E2E;

// The message log in Persian: a sent SMS is listed with its person, its state as a chip in Persian and its text;
// an admin's switch shows the staff notification emails instead.
public sealed class MessagesTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    [Fact]
    public async Task The_message_log_shows_a_sent_message_in_persian()
    {
        await using (var scope = app.Services.CreateAsyncScope())
        {
            await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<PayvandDb>>().CreateDbContextAsync();
            var branchId = await db.Branches.OrderBy(b => b.Id).Select(b => b.Id).FirstAsync();
            var contactId = await scope.ServiceProvider.GetRequiredService<SaveContact>().Create(
                new ContactInput { FirstName = "سارا", LastName = "پیامکی", BranchId = branchId }, UserScope.System, CancellationToken.None);
            var now = TimeProvider.System.GetUtcNow().UtcDateTime;
            var message = MessageOutbox.Create(new OutgoingMessage(contactId, "کد ورود شما ۴۴۵۵ است", "test"), now);
            (message.Status, message.Address, message.SenderLine, message.SentAt, message.ProviderMessageId) = (MessageStatus.Sent, "+989121234567", "10004346", now, 700_000_123);
            db.Messages.Add(message);
            await db.SaveChangesAsync();
        }

        var page = await app.SignedInPage("fa-IR");
        await page.GotoAsync("messages");
        await BrowserApp.WaitForBlazor(page);
        var grid = page.Locator("[data-testid=messages-grid]");
        var row = grid.Locator("tr", new() { HasText = "سارا پیامکی" });
        await Assertions.Expect(row.Locator("[data-testid=message-status]")).ToHaveTextAsync("ارسال شد");
        await Assertions.Expect(row).ToContainTextAsync("کد ورود شما ۴۴۵۵ است");
        await Assertions.Expect(row).ToContainTextAsync("خدماتی");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task An_admin_switches_the_log_to_the_staff_notification_emails()
    {
        var address = $"staff-{Guid.NewGuid():N}@example.com";
        await using (var scope = app.Services.CreateAsyncScope())
        {
            await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<PayvandDb>>().CreateDbContextAsync();
            var now = TimeProvider.System.GetUtcNow().UtcDateTime;
            var message = MessageOutbox.Create(new OutgoingMessage(0, "یک نفر را به شما سپردند", NotificationEmails.Source)
            {
                Channel = ConsentChannel.Email,
                Address = address,
                Subject = "شخصی که مسئولش شدم",
            }, now);
            message.ContactId = null;
            (message.Status, message.SentAt) = (MessageStatus.Sent, now);
            db.Messages.Add(message);
            await db.SaveChangesAsync();
        }

        var page = await app.SignedInPage("fa-IR");
        await page.GotoAsync("messages");
        await BrowserApp.WaitForBlazor(page);
        var grid = page.Locator("[data-testid=messages-grid]");
        await Assertions.Expect(grid).Not.ToContainTextAsync(address);
        await page.Locator("input[data-testid=messages-staff], [data-testid=messages-staff] input").CheckAsync();
        var row = grid.Locator("tr", new() { HasText = address });
        await Assertions.Expect(row).ToContainTextAsync("کارکنان");
        await Assertions.Expect(row.Locator("[data-testid=message-subject]")).ToHaveTextAsync("شخصی که مسئولش شدم");
        await Assertions.Expect(row.Locator("[data-testid=message-status]")).ToHaveTextAsync("ارسال شد");
        await page.Context.CloseAsync();
    }
}
