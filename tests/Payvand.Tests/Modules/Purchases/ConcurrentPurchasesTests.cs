using Microsoft.EntityFrameworkCore;
using Payvand.Modules.Contacts;
using Payvand.Modules.Purchases;
using Payvand.Tests.Infrastructure;
using static Payvand.Tests.Modules.Purchases.PurchaseTestData;

namespace Payvand.Tests.Modules.Purchases;

// Purchases that name a new mobile at the same moment, fired in parallel against the app (SQLite here, PostgreSQL in
// the Integration run): 32 parallel purchases once created 2 to 19 people, 8 parallel batches up to 8. Exactly one
// person is created, and every purchase is theirs (MobileLocks).
[Trait("Category", "Integration")]
public sealed class ConcurrentPurchasesTests(PayvandApp app) : IClassFixture<PayvandApp>
{
    private static string NewMobile() => "0935" + Random.Shared.Next(1_000_000, 9_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private async Task<List<int>> Holders(string mobile)
    {
        var e164 = "+98" + mobile[1..];
        await using var db = await app.Db();
        return await db.Contacts.Where(c => c.Points.Any(p => p.Kind == ContactPointKind.Mobile && p.NormalizedValue == e164)).Select(c => c.Id).ToListAsync();
    }

    [Fact]
    public async Task Parallel_purchases_for_one_new_mobile_create_one_person()
    {
        var clients = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => app.ClientAs("Sales")));
        var mobile = NewMobile();

        var purchases = await Task.WhenAll(Enumerable.Range(0, 32).Select(i =>
            Record(clients[i % clients.Length], Order(null) with { Mobile = mobile, CustomerName = "مشتری همزمان" })));

        var person = Assert.Single(await Holders(mobile));
        Assert.All(purchases, p => Assert.Equal(person, p.ContactId));
        await using var db = await app.Db();
        var contact = await db.Contacts.SingleAsync(c => c.Id == person);
        Assert.Equal((32, 32 * 750_000L), (contact.PurchaseCount, contact.NetSpent));
    }

    [Fact]
    public async Task Parallel_batches_naming_the_same_new_mobiles_create_one_person_each()
    {
        var client = await app.ClientAs("Sales");
        var (first, second) = (NewMobile(), NewMobile());
        // Each batch names both mobiles, half of them in the other order, so batches lock them in different orders.
        RecordPurchaseBatch.Request Batch(int i) => new()
        {
            Purchases = i % 2 == 0
                ? [Order(null) with { Mobile = first }, Order(null) with { Mobile = second }, Order(null) with { Mobile = first }]
                : [Order(null) with { Mobile = second }, Order(null) with { Mobile = first }],
        };

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(async i =>
            await (await client.PostJson("/api/purchases/batch", Batch(i))).Read<RecordPurchaseBatch.Result>()));

        Assert.Equal(4 * 3 + 4 * 2, results.Sum(r => r.Created));
        var one = Assert.Single(await Holders(first));
        var two = Assert.Single(await Holders(second));
        await using var db = await app.Db();
        Assert.Equal(12, await db.Purchases.CountAsync(p => p.ContactId == one));
        Assert.Equal(8, await db.Purchases.CountAsync(p => p.ContactId == two));
    }
}
