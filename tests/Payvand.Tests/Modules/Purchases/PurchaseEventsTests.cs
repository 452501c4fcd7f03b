using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Payvand.Modules.Contacts;
using Payvand.Modules.Purchases;
using Payvand.Platform.Auth;
using Payvand.Platform.Events;
using Payvand.Tests.Infrastructure;
using static Payvand.Tests.Modules.Purchases.PurchaseTestData;

namespace Payvand.Tests.Modules.Purchases;

// What a module reacting to purchases sees (Loyalty, later): one PurchaseRecorded per purchase and one PurchaseRefunded
// per refund, written with them and delivered once, however often an idempotent client retries.
[Trait("Category", "Integration")]
public sealed class PurchaseEventsTests(PayvandApp app) : IClassFixture<PayvandApp>
{
    public sealed class Received
    {
        public ConcurrentBag<(Guid EventId, PurchaseRefunded Event)> Refunds { get; } = [];
    }

    private sealed class RefundRecorder(Received received) : IEventHandler<PurchaseRefunded>
    {
        public Task Handle(PurchaseRefunded domainEvent, EventContext context, CancellationToken ct)
        {
            received.Refunds.Add((context.EventId, domainEvent));
            return Task.CompletedTask;
        }
    }

    [Fact]
    public async Task Each_purchase_and_refund_raises_one_event_even_for_replays_and_a_buyer_becomes_a_customer()
    {
        var received = new Received();
        await using var host = app.WithWebHostBuilder(b => b.ConfigureServices(s => s
            .AddSingleton(received)
            .AddEventHandler<PurchaseRefunded, RefundRecorder>()));
        var user = await app.CreateUser("Sales", app.MainBranchId);
        var token = await host.Services.GetRequiredService<AccessTokenService>().Create(user.Id, "events", null, CancellationToken.None);
        var client = host.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.Token);

        var contactId = await Person(client);
        await using (var db = await app.Db()) Assert.Equal(LifecycleStage.Lead, await db.Contacts.Where(c => c.Id == contactId).Select(c => c.Lifecycle).SingleAsync());
        var key = "events-" + Guid.NewGuid();
        var responses = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => PostWithKey(client, "/api/purchases", key, Order(contactId))));
        Assert.Contains(responses, r => r.StatusCode == HttpStatusCode.Created);
        (await PostWithKey(client, "/api/purchases", key, Order(contactId))).EnsureSuccessStatusCode();
        int purchaseId;
        await using (var db = await app.Db()) purchaseId = await db.Purchases.Where(p => p.ContactId == contactId).Select(p => p.Id).SingleAsync();
        var refundKey = "events-refund-" + Guid.NewGuid();
        for (var i = 0; i < 3; i++)
        {
            (await PostWithKey(client, $"/api/purchases/{purchaseId}/refunds", refundKey, new RefundPurchase.Request { Amount = 1_000 })).EnsureSuccessStatusCode();
        }

        // Written with the purchase: one event, a row for each handler of PurchaseRecorded (the lifecycle move, automations).
        await using var after = await app.Db();
        var recordedRows = (await after.OutboxMessages.Where(m => m.EventType == nameof(PurchaseRecorded)).ToListAsync())
            .Where(m => JsonSerializer.Deserialize<PurchaseRecorded>(m.Payload, JsonSerializerOptions.Web)!.PurchaseId == purchaseId).ToList();
        Assert.Single(recordedRows.Select(r => r.EventId).Distinct());
        Assert.Equal(["Automations.PurchaseRecorded", "Purchases.BuyersBecomeCustomers"], recordedRows.Select(r => r.Handler).Order());
        var row = recordedRows.Single(r => r.Handler == "Purchases.BuyersBecomeCustomers");
        var recorded = JsonSerializer.Deserialize<PurchaseRecorded>(row.Payload, JsonSerializerOptions.Web)!;
        Assert.Equal(new PurchaseRecorded(purchaseId, contactId, app.MainBranchId, 750_000, "IRR", recorded.OccurredAt), recorded);

        // Delivered by the dispatcher: the lead is now a customer, audited as the system's change.
        await Waiting.Until(async () =>
        {
            await using var db = await app.Db();
            return await db.Contacts.Where(c => c.Id == contactId).Select(c => c.Lifecycle).SingleAsync();
        }, stage => stage == LifecycleStage.Customer, "The lead's move to customer");
        var audit = await after.Audit.Where(a => a.EntityType == nameof(Contact) && a.EntityId == contactId.ToString() && a.UserId == null).Select(a => a.Changes).ToListAsync();
        Assert.Contains(audit, c => c!.Contains("\"Lifecycle\"", StringComparison.Ordinal) && c.Contains("\"Customer\"", StringComparison.Ordinal));

        var refund = await Waiting.Until(() => Task.FromResult(received.Refunds.ToList()), r => r.Count > 0, "The refund's delivery");
        await Task.Delay(300); // a second delivery, if there were one, would come within the poll
        var (_, refunded) = Assert.Single(received.Refunds);
        Assert.Equal((purchaseId, 1_000L), (refunded.PurchaseId, refunded.Amount));
        Assert.Equal(DeliveryStatus.Delivered, await after.OutboxMessages.Where(m => m.EventId == refund[0].EventId).Select(m => m.Status).SingleAsync());
    }
}
