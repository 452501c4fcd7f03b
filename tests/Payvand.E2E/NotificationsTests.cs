using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Payvand.Modules.Contacts;
using Payvand.Platform.Auth;
using Payvand.Platform.Data;
using Payvand.Platform.Notifications;

namespace Payvand.E2E;

// The bell: a notification written while the page is open shows at once, in Persian; a click opens what it is about and
// marks it read; "mark all as read" empties the count.
public sealed class NotificationsTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    private async Task<(int AdminId, int PersonId)> Person(string name)
    {
        using var scope = app.Services.CreateScope();
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<PayvandDb>>().CreateDbContextAsync();
        var admin = await db.Users.Where(u => u.Email == BrowserApp.AdminEmail).Select(u => u.Id).SingleAsync();
        var branch = await db.Branches.OrderBy(b => b.Id).Select(b => b.Id).FirstAsync();
        var id = await scope.ServiceProvider.GetRequiredService<SaveContact>().Create(new ContactInput { LastName = name, BranchId = branch }, UserScope.System, CancellationToken.None);
        return (admin, id);
    }

    private async Task Notify(int userId, int personId, string name)
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<PayvandDb>>().CreateDbContextAsync();
        await app.Services.GetRequiredService<Notifier>().Notify(db, [userId],
            new NotificationRequest("contact.owner", "{0} made you the owner of {1}.", ["مدیر فروش", name], $"contacts/{personId}"), CancellationToken.None);
        await db.SaveChangesAsync();
    }

    [Fact]
    public async Task A_new_notification_shows_on_the_open_page_and_a_click_opens_its_person()
    {
        var (admin, person) = await Person("نوتاش");
        var page = await app.SignedInPage("fa-IR");
        await page.GotoAsync("");
        await BrowserApp.WaitForBlazor(page);
        var badge = page.Locator("[data-testid=notifications-badge] .mud-badge");
        await Assertions.Expect(badge).Not.ToBeVisibleAsync();

        // Written while the page is open: the badge counts it without a reload.
        await Notify(admin, person, "نوتاش");
        await Assertions.Expect(badge).ToHaveTextAsync("۱");

        await page.ClickAsync("[data-testid=notifications-bell]");
        var item = page.Locator("[data-testid=notification-text]").First;
        await Assertions.Expect(item).ToHaveTextAsync("مدیر فروش شما را مسئول نوتاش کرد.");
        await item.ClickAsync();
        await page.WaitForURLAsync($"**/contacts/{person}");
        await Assertions.Expect(badge).Not.ToBeVisibleAsync();

        // The page of all notifications lists it as read; mark all as read leaves nothing unread.
        await Notify(admin, person, "نوتاش");
        await Assertions.Expect(badge).ToHaveTextAsync("۱");
        await page.GotoAsync("account/notifications");
        await BrowserApp.WaitForBlazor(page);
        await Assertions.Expect(page.Locator("[data-testid=notification-row-text]").First).ToContainTextAsync("نوتاش");
        await page.ClickAsync("[data-testid=notifications-page-read-all]");
        await Assertions.Expect(page.Locator("[data-testid=notification-mark-read]")).ToHaveCountAsync(0);
        await Assertions.Expect(badge).Not.ToBeVisibleAsync();
    }

    [Fact]
    public async Task The_user_chooses_email_for_a_kind_on_the_notifications_page_and_is_told_no_email_channel_exists()
    {
        var page = await app.SignedInPage("fa-IR");
        await page.GotoAsync("account/notifications");
        await BrowserApp.WaitForBlazor(page);
        await page.ClickAsync("[data-testid=notification-preferences] .mud-expand-panel-header");
        await Assertions.Expect(page.Locator("[data-testid=notification-email-unavailable]")).ToContainTextAsync("هیچ کانال ایمیلی");
        const string Switch = "[data-testid='notification-email-contact.owner'] input[type=checkbox], input[data-testid='notification-email-contact.owner']";
        var toggle = page.Locator(Switch);
        await Assertions.Expect(page.Locator("[data-testid=notification-preferences]")).ToContainTextAsync("شخصی که مسئولش شدم");
        await Assertions.Expect(toggle).ToHaveAttributeAsync("aria-checked", "false");
        await toggle.ClickAsync();
        await Assertions.Expect(toggle).ToHaveAttributeAsync("aria-checked", "true");

        using var scope = app.Services.CreateScope();
        var admin = await ((Func<Task<int>>)(async () =>
        {
            await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<PayvandDb>>().CreateDbContextAsync();
            return await db.Users.Where(u => u.Email == BrowserApp.AdminEmail).Select(u => u.Id).SingleAsync();
        }))();
        var preferences = scope.ServiceProvider.GetRequiredService<MyNotificationPreferences>();
        for (var i = 0; i < 50 && !(await preferences.Get(admin, CancellationToken.None)).Kinds.Single(k => k.Kind == "contact.owner").Email; i++) await Task.Delay(100);
        Assert.True((await preferences.Get(admin, CancellationToken.None)).Kinds.Single(k => k.Kind == "contact.owner").Email);

        // Kept: the page shows it chosen after a reload.
        await page.ReloadAsync();
        await BrowserApp.WaitForBlazor(page);
        await page.ClickAsync("[data-testid=notification-preferences] .mud-expand-panel-header");
        await Assertions.Expect(page.Locator(Switch)).ToHaveAttributeAsync("aria-checked", "true");
    }
}
