using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Payvand.Modules.Purchases;
using Payvand.Platform.Data;
using Payvand.Platform.Events;

namespace Payvand.E2E;

// An administrator finds a delivery that failed after its last attempt on the event deliveries page, in Persian,
// sees its error and retries it; the dispatcher then delivers it.
public sealed class EventsTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    [Fact]
    public async Task Admin_retries_a_failed_delivery_in_persian()
    {
        var factory = app.Services.GetRequiredService<IDbContextFactory<PayvandDb>>();
        var now = TimeProvider.System.GetUtcNow().UtcDateTime;
        var failed = new OutboxMessage
        {
            EventId = Guid.NewGuid(),
            EventType = nameof(PurchaseRecorded),
            Handler = "Purchases.BuyersBecomeCustomers",
            Payload = JsonSerializer.Serialize(new PurchaseRecorded(1, null, 1, 10_000, "IRR", now), JsonSerializerOptions.Web),
            OccurredAt = now,
            NextAttemptAt = now,
            Status = DeliveryStatus.Failed,
            Attempts = 10,
            LastError = "TimeoutException: the database did not answer",
        };
        await using (var db = await factory.CreateDbContextAsync())
        {
            db.OutboxMessages.Add(failed);
            await db.SaveChangesAsync();
        }

        var page = await app.SignedInPage("fa-IR");
        await page.GotoAsync("admin/events");
        await BrowserApp.WaitForBlazor(page);
        await Assertions.Expect(page.Locator("h5")).ToHaveTextAsync("رسیدن رویدادها");
        await Assertions.Expect(page.Locator("[data-testid=events-failed-count]")).ToContainTextAsync("ناموفق: ۱");
        await Assertions.Expect(page.Locator("[data-testid=events-table]")).ToContainTextAsync("the database did not answer");

        await page.Locator($"[data-testid=events-retry-{failed.Id}]").ClickAsync();
        await Assertions.Expect(page.Locator(".mud-snackbar")).ToContainTextAsync("اکنون دوباره فرستاده می‌شود.");
        await Assertions.Expect(page.Locator("[data-testid=events-failed-count]")).ToContainTextAsync("ناموفق: ۰");

        var waited = System.Diagnostics.Stopwatch.StartNew();
        DeliveryStatus status;
        do
        {
            await Task.Delay(200);
            await using var db = await factory.CreateDbContextAsync();
            status = await db.OutboxMessages.Where(m => m.Id == failed.Id).Select(m => m.Status).SingleAsync();
        }
        while (status != DeliveryStatus.Delivered && waited.Elapsed < TimeSpan.FromSeconds(30));
        Assert.Equal(DeliveryStatus.Delivered, status);
    }
}
