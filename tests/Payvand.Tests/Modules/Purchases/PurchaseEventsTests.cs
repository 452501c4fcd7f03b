using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Payvand.Modules.Purchases;
using Payvand.Platform.Auth;
using Payvand.Platform.Events;
using Payvand.Tests.Infrastructure;
using static Payvand.Tests.Modules.Purchases.PurchaseTestData;

namespace Payvand.Tests.Modules.Purchases;

// What a future Loyalty module would see: one PurchaseRecorded per purchase and one PurchaseRefunded per refund,
// however often an idempotent client retries.
[Trait("Category", "Integration")]
public sealed class PurchaseEventsTests(PayvandApp app) : IClassFixture<PayvandApp>
{
    public sealed class Received
    {
        public ConcurrentBag<object> Events { get; } = [];
    }

    private sealed class Recorder(Received received) : IDomainEventHandler<PurchaseRecorded>, IDomainEventHandler<PurchaseRefunded>
    {
        public Task Handle(PurchaseRecorded domainEvent, CancellationToken ct)
        {
            received.Events.Add(domainEvent);
            return Task.CompletedTask;
        }

        public Task Handle(PurchaseRefunded domainEvent, CancellationToken ct)
        {
            received.Events.Add(domainEvent);
            return Task.CompletedTask;
        }
    }

    [Fact]
    public async Task A_handler_gets_each_event_once_even_for_replays()
    {
        var received = new Received();
        await using var host = app.WithWebHostBuilder(b => b.ConfigureServices(s => s
            .AddSingleton(received)
            .AddDomainEventHandler<PurchaseRecorded, Recorder>()
            .AddDomainEventHandler<PurchaseRefunded, Recorder>()));
        var user = await app.CreateUser("Sales", app.MainBranchId);
        var token = await host.Services.GetRequiredService<AccessTokenService>().Create(user.Id, "events", null, CancellationToken.None);
        var client = host.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.Token);

        var contactId = await Person(client);
        var key = "events-" + Guid.NewGuid();
        var responses = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => PostWithKey(client, "/api/purchases", key, Order(contactId))));
        Assert.Contains(responses, r => r.StatusCode == HttpStatusCode.Created);
        (await PostWithKey(client, "/api/purchases", key, Order(contactId))).EnsureSuccessStatusCode();
        await using var db = await app.Db();
        var purchaseId = await db.Purchases.Where(p => p.ContactId == contactId).Select(p => p.Id).SingleAsync();
        var refundKey = "events-refund-" + Guid.NewGuid();
        for (var i = 0; i < 3; i++)
        {
            (await PostWithKey(client, $"/api/purchases/{purchaseId}/refunds", refundKey, new RefundPurchase.Request { Amount = 1_000 })).EnsureSuccessStatusCode();
        }

        var recorded = Assert.Single(received.Events.OfType<PurchaseRecorded>());
        Assert.Equal(new PurchaseRecorded(purchaseId, contactId, app.MainBranchId, 750_000, "IRR", recorded.OccurredAt), recorded);
        var refunded = Assert.Single(received.Events.OfType<PurchaseRefunded>());
        Assert.Equal(1_000, refunded.Amount);
    }
}
