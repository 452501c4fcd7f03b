using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Payvand.Modules.Purchases;
using Payvand.Platform.Api;
using Payvand.Tests.Infrastructure;
using static Payvand.Tests.Modules.Purchases.PurchaseTestData;

namespace Payvand.Tests.Modules.Purchases;

[Trait("Category", "Integration")]
public sealed class IdempotencyTests(PayvandApp app) : IClassFixture<PayvandApp>
{
    [Fact]
    public async Task Parallel_duplicates_with_one_key_record_one_purchase_and_get_the_same_answer()
    {
        var client = await app.ClientAs("Sales");
        var contactId = await Person(client);
        var key = "pos-" + Guid.NewGuid();
        var request = Order(contactId);

        var responses = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => PostWithKey(client, "/api/purchases", key, request)));
        var answers = await Task.WhenAll(responses.Select(async r => (r.StatusCode, Body: await r.Content.ReadAsStringAsync())));

        Assert.All(answers, a => Assert.True(a.StatusCode is HttpStatusCode.Created or HttpStatusCode.Conflict, $"{a.StatusCode}: {a.Body}"));
        var created = answers.Where(a => a.StatusCode == HttpStatusCode.Created).ToList();
        Assert.NotEmpty(created);
        Assert.Single(created.Select(a => a.Body).Distinct());
        await using (var db = await app.Db())
        {
            Assert.Equal(1, await db.Purchases.CountAsync(p => p.ContactId == contactId));
            var person = await db.Contacts.SingleAsync(c => c.Id == contactId);
            Assert.Equal(1, person.PurchaseCount);
            Assert.Equal(750_000, person.NetSpent);
        }

        // A retry after the first finished gets the stored answer, byte for byte, marked as a replay.
        var replay = await PostWithKey(client, "/api/purchases", key, request);
        Assert.Equal(HttpStatusCode.Created, replay.StatusCode);
        Assert.Equal(created[0].Body, await replay.Content.ReadAsStringAsync());
        Assert.Equal("true", replay.Headers.GetValues(IdempotencyFilter.ReplayedHeader).Single());
        Assert.NotNull(replay.Headers.Location);
    }

    [Fact]
    public async Task The_same_key_with_another_body_is_422()
    {
        var client = await app.ClientAs("Sales");
        var contactId = await Person(client);
        var key = "pos-" + Guid.NewGuid();
        (await PostWithKey(client, "/api/purchases", key, Order(contactId))).EnsureSuccessStatusCode();

        var other = Order(contactId) with { Discount = 0 };
        var problem = await (await PostWithKey(client, "/api/purchases", key, other)).Problem(HttpStatusCode.UnprocessableEntity);
        Assert.Contains("Idempotency-Key", problem.GetProperty("title").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Keys_belong_to_their_caller()
    {
        var first = await app.ClientAs("Sales");
        var second = await app.ClientAs("Sales");
        var key = "shared-" + Guid.NewGuid();
        var a = await (await PostWithKey(first, "/api/purchases", key, Order(null))).Read<PurchaseDetails>(HttpStatusCode.Created);
        var b = await (await PostWithKey(second, "/api/purchases", key, Order(null))).Read<PurchaseDetails>(HttpStatusCode.Created);
        Assert.NotEqual(a.Id, b.Id);
    }

    [Fact]
    public async Task A_refused_request_frees_its_key_for_the_corrected_one()
    {
        var client = await app.ClientAs("Sales");
        var key = "fix-" + Guid.NewGuid();
        var bad = Order(null) with { Lines = [] };
        await (await PostWithKey(client, "/api/purchases", key, bad)).Problem(HttpStatusCode.BadRequest);
        await (await PostWithKey(client, "/api/purchases", key, bad)).Problem(HttpStatusCode.BadRequest);
        await using var db = await app.Db();
        Assert.False(await db.IdempotencyKeys.AnyAsync(k => k.Key == key));
    }

    [Fact]
    public async Task Refunds_are_idempotent_too()
    {
        var client = await app.ClientAs("Sales");
        var purchase = await Record(client, Order(await Person(client)));
        var key = "refund-" + Guid.NewGuid();
        var refund = new RefundPurchase.Request { Amount = 100_000, Reason = "خراب بود" };
        var first = await PostWithKey(client, $"/api/purchases/{purchase.Id}/refunds", key, refund);
        var again = await PostWithKey(client, $"/api/purchases/{purchase.Id}/refunds", key, refund);
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await again.Content.ReadAsStringAsync());
        var after = await (await client.GetAsync($"/api/purchases/{purchase.Id}")).Read<PurchaseDetails>();
        Assert.Single(after.Refunds);
        Assert.Equal(650_000, after.Net);
    }

    [Fact]
    public async Task A_claimed_key_keeps_the_time_of_its_request_in_the_databases_own_order()
    {
        var client = await app.ClientAs("Sales");
        var key = "timed-" + Guid.NewGuid();
        var before = TimeProvider.System.GetUtcNow().UtcDateTime.AddSeconds(-1);
        var first = await PostWithKey(client, "/api/purchases", key, Order(null));
        var after = TimeProvider.System.GetUtcNow().UtcDateTime.AddSeconds(1);
        var again = await PostWithKey(client, "/api/purchases", key, Order(null));

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await again.Content.ReadAsStringAsync());
        await using var db = await app.Db();
        // Compared in SQL: on SQLite the stored text must sort like the dates EF Core writes, or cleanup would go wrong.
        var stored = await db.IdempotencyKeys.SingleAsync(k => k.Key == key && k.CreatedAt > before && k.CreatedAt < after);
        Assert.NotNull(stored.CompletedAt);
        Assert.Equal((int)HttpStatusCode.Created, stored.StatusCode);
    }

    [Fact]
    public async Task Cleanup_removes_keys_older_than_a_day_only()
    {
        var client = await app.ClientAs("Sales");
        var key = "old-" + Guid.NewGuid();
        (await PostWithKey(client, "/api/purchases", key, Order(null))).EnsureSuccessStatusCode();
        var fresh = "fresh-" + Guid.NewGuid();
        (await PostWithKey(client, "/api/purchases", fresh, Order(null))).EnsureSuccessStatusCode();
        await using var db = await app.Db();
        var old = TimeProvider.System.GetUtcNow().UtcDateTime - IdempotencyCleanup.Retention - TimeSpan.FromMinutes(1);
        await db.IdempotencyKeys.Where(k => k.Key == key).ExecuteUpdateAsync(s => s.SetProperty(k => k.CreatedAt, old));

        await app.Services.GetRequiredService<IdempotencyCleanup>().RemoveExpired(CancellationToken.None);

        Assert.False(await db.IdempotencyKeys.AnyAsync(k => k.Key == key));
        Assert.True(await db.IdempotencyKeys.AnyAsync(k => k.Key == fresh));
    }
}
