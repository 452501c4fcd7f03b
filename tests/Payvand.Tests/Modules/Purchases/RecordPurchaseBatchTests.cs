using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Payvand.Modules.Contacts;
using Payvand.Modules.Purchases;
using Payvand.Platform.Api;
using Payvand.Platform.Audit;
using Payvand.Tests.Infrastructure;
using static Payvand.Tests.Modules.Purchases.PurchaseTestData;

namespace Payvand.Tests.Modules.Purchases;

[Trait("Category", "Integration")]
public sealed class RecordPurchaseBatchTests(PayvandApp app) : IClassFixture<PayvandApp>
{
    private const string Url = "/api/purchases/batch";

    private static RecordPurchaseBatch.Request Batch(params RecordPurchase.Request[] purchases) => new() { Purchases = [.. purchases] };

    private static RecordPurchase.Request Keyed(RecordPurchase.Request order, string source, string id) => order with { SourceSystem = source, ExternalOrderId = id };

    private static async Task<RecordPurchaseBatch.Result> Send(HttpClient client, RecordPurchaseBatch.Request batch) =>
        await (await client.PostJson(Url, batch)).Read<RecordPurchaseBatch.Result>();

    [Fact]
    public async Task Each_purchase_gets_its_answer_and_the_valid_ones_are_recorded_with_summary_timeline_and_audit()
    {
        var client = await app.ClientAs("Sales");
        var regular = await Person(client);
        var known = "0912" + Random.Shared.Next(1_000_000, 9_999_999);
        var holder = await Person(client, mobile: known);
        var newcomer = "0935" + Random.Shared.Next(1_000_000, 9_999_999);
        var source = "pos-" + Guid.NewGuid().ToString("N")[..6];
        var before = await Record(client, Keyed(Order(regular), source, "A-1"));
        var at = new DateTime(2026, 3, 4, 5, 6, 7, DateTimeKind.Utc);

        var result = await Send(client, Batch(
            Keyed(Order(regular, at), source, "A-2"),
            Keyed(Order(null) with { Mobile = "+98" + known[1..] }, source, "A-3"),
            Keyed(Order(null) with { Mobile = "۰" + PersianDigits(newcomer[1..]), CustomerName = "مشتری تازه" }, source, "A-4"),
            Keyed(Order(null) with { Mobile = newcomer }, source, "A-5"),
            Keyed(Order(regular), source, "A-1"),
            Keyed(Order(regular) with { Lines = [new RecordPurchase.LineInput(Description: "چای", Quantity: 0, UnitPrice: 10)] }, source, "A-6"),
            Keyed(Order(regular), source, "A-2"),
            Order(int.MaxValue),
            Order(regular) with { Lines = [new RecordPurchase.LineInput(ProductId: int.MaxValue)] }));

        Assert.Equal((4, 2, 3), (result.Created, result.AlreadyRecorded, result.Invalid));
        Assert.Equal(Enumerable.Range(0, 9), result.Purchases.Select(p => p.Index));
        Assert.Equal(
            [Created, Created, Created, Created, Already, Invalid, Already, Invalid, Invalid],
            result.Purchases.Select(p => p.Outcome));
        Assert.Equal(before.Id, result.Purchases[4].PurchaseId);
        Assert.Equal(result.Purchases[0].PurchaseId, result.Purchases[6].PurchaseId);
        Assert.Contains("lines[0].quantity", result.Purchases[5].Errors!.Keys);
        Assert.Contains("contactId", result.Purchases[7].Errors!.Keys);
        Assert.Contains("lines[0].productId", result.Purchases[8].Errors!.Keys);

        var created = result.Purchases.Where(p => p.Outcome == Created).Select(p => p.PurchaseId!.Value).ToList();
        var read = new List<PurchaseDetails>();
        foreach (var id in created) read.Add(await (await client.GetAsync($"/api/purchases/{id}")).Read<PurchaseDetails>());
        Assert.Equal([regular, holder], read.Take(2).Select(p => p.ContactId!.Value));
        Assert.Equal(at, read[0].OccurredAt);
        Assert.All(read, p => Assert.Equal(750_000, p.Total));
        Assert.Equal(read[2].ContactId, read[3].ContactId);
        Assert.NotNull(read[2].ContactId);

        await using var db = await app.Db();
        var e164 = "+98" + newcomer[1..];
        var newcomers = await db.Contacts.Where(c => c.Points.Any(p => p.Kind == ContactPointKind.Mobile && p.NormalizedValue == e164)).ToListAsync();
        Assert.Equal("مشتری تازه", Assert.Single(newcomers).LastName);
        Assert.Equal(RecordSource.Pos, newcomers[0].Source);
        var person = await db.Contacts.SingleAsync(c => c.Id == regular);
        Assert.Equal((2, 1_500_000L), (person.PurchaseCount, person.NetSpent));
        Assert.Equal(at, person.FirstPurchaseAt);
        var twice = await db.Contacts.SingleAsync(c => c.Id == read[2].ContactId);
        Assert.Equal((2, 1_500_000L), (twice.PurchaseCount, twice.NetSpent));
        var ids = created.Select(id => id.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(4, await db.Activities.CountAsync(a => a.SourceType == "Purchase" && ids.Contains(a.SourceId!)));
        Assert.Equal(4, await db.Audit.CountAsync(a => a.EntityType == nameof(Purchase) && a.Action == AuditAction.Create && ids.Contains(a.EntityId!)));
        Assert.Equal(5, await db.Purchases.CountAsync(p => p.SourceSystem == source));
    }

    [Fact]
    public async Task A_batch_with_nothing_valid_writes_nothing()
    {
        var client = await app.ClientAs("Sales");
        var contactId = await Person(client);

        var result = await Send(client, Batch(Order(contactId) with { Lines = [] }, Order(contactId) with { Currency = "rial" }));

        Assert.Equal((0, 0, 2), (result.Created, result.AlreadyRecorded, result.Invalid));
        Assert.Contains("lines", result.Purchases[0].Errors!.Keys);
        Assert.Contains("currency", result.Purchases[1].Errors!.Keys);
        await using var db = await app.Db();
        Assert.False(await db.Purchases.AnyAsync(p => p.ContactId == contactId));
    }

    [Fact]
    public async Task An_empty_or_oversized_batch_is_refused_whole_in_the_users_language()
    {
        var client = await app.ClientAs("Sales");
        var empty = await (await client.PostJson(Url, Batch())).Problem(HttpStatusCode.BadRequest);
        var tooMany = Batch([.. Enumerable.Repeat(Order(null), RecordPurchaseBatch.MaxPurchases + 1)]);
        client.DefaultRequestHeaders.AcceptLanguage.Clear();
        client.DefaultRequestHeaders.AcceptLanguage.ParseAdd("fa-IR");
        var oversized = await (await client.PostJson(Url, tooMany)).Problem(HttpStatusCode.BadRequest);

        Assert.Equal("Send from 1 to 500 purchases.", empty.GetProperty("errors").GetProperty("purchases")[0].GetString());
        Assert.StartsWith("از ۱ تا ", oversized.GetProperty("errors").GetProperty("purchases")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Another_branchs_person_is_not_found_and_another_branch_is_not_allowed()
    {
        var elsewhere = await app.CreateBranch("Batch elsewhere " + Guid.NewGuid().ToString("N")[..6]);
        var admin = await app.AdminClient();
        var hidden = await Person(admin, elsewhere);
        var clerk = await app.ClientAs("Sales");

        var result = await Send(clerk, Batch(Order(hidden), Order(null, branchId: elsewhere), Order(null)));

        Assert.Equal([Invalid, Invalid, Created], result.Purchases.Select(p => p.Outcome));
        Assert.Contains("contactId", result.Purchases[0].Errors!.Keys);
        Assert.Contains("branchId", result.Purchases[1].Errors!.Keys);
        await using var db = await app.Db();
        Assert.Equal(0, (await db.Contacts.SingleAsync(c => c.Id == hidden)).PurchaseCount);
    }

    // Two tills send overlapping batches at once: each order is recorded once, and both answers name the same purchase.
    [Fact]
    public async Task Concurrent_batches_with_the_same_orders_record_each_order_once()
    {
        var client = await app.ClientAs("Sales");
        var people = new List<int>();
        for (var i = 0; i < 4; i++) people.Add(await Person(client));
        var source = "till-" + Guid.NewGuid().ToString("N")[..6];
        var orders = Enumerable.Range(0, 12).Select(i => Keyed(Order(people[i % 4]), source, "O-" + i)).ToList();

        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(k =>
            Send(client, Batch([.. orders.Skip(k * 2).Take(6).Reverse()]))));

        await using var db = await app.Db();
        var recorded = await db.Purchases.Where(p => p.SourceSystem == source).ToDictionaryAsync(p => p.ExternalOrderId!, p => p.Id);
        Assert.Equal(12, recorded.Count);
        for (var k = 0; k < 4; k++)
        {
            var sent = orders.Skip(k * 2).Take(6).Reverse().ToList();
            Assert.Equal(sent.Select(o => recorded[o.ExternalOrderId!]), results[k].Purchases.Select(p => p.PurchaseId!.Value));
        }

        Assert.Equal(12, results.Sum(r => r.Created));
        foreach (var id in people)
        {
            var person = await db.Contacts.SingleAsync(c => c.Id == id);
            Assert.Equal((3, 2_250_000L), (person.PurchaseCount, person.NetSpent));
        }
    }

    [Fact]
    public async Task A_retried_batch_gets_the_same_bytes_and_another_body_with_the_key_is_422()
    {
        var client = await app.ClientAs("Sales");
        var contactId = await Person(client);
        var source = "shop-" + Guid.NewGuid().ToString("N")[..6];
        var batch = Batch(Keyed(Order(contactId), source, "W-1"), Keyed(Order(contactId), source, "W-2"), Order(contactId) with { Lines = [] });
        var key = "batch-" + Guid.NewGuid();

        var first = await PostWithKey(client, Url, key, batch);
        var again = await PostWithKey(client, Url, key, batch);
        var other = await PostWithKey(client, Url, key, Batch(Keyed(Order(contactId), source, "W-3")));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var body = await first.Content.ReadAsStringAsync();
        Assert.Equal(body, await again.Content.ReadAsStringAsync());
        Assert.Equal("true", again.Headers.GetValues(IdempotencyFilter.ReplayedHeader).Single());
        await other.Problem(HttpStatusCode.UnprocessableEntity);
        var result = JsonSerializer.Deserialize<RecordPurchaseBatch.Result>(body, HttpExtensions.Json)!;
        Assert.Equal((2, 0, 1), (result.Created, result.AlreadyRecorded, result.Invalid));
        await using var db = await app.Db();
        Assert.Equal(2, await db.Purchases.CountAsync(p => p.ContactId == contactId));
        Assert.Equal(2, (await db.Contacts.SingleAsync(c => c.Id == contactId)).PurchaseCount);
        var stored = await db.IdempotencyKeys.SingleAsync(k => k.Key == key);
        Assert.Equal(body, stored.ResponseBody);
    }

    [Fact]
    public async Task A_caller_without_a_token_is_refused()
    {
        var client = app.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostJson(Url, Batch(Order(null)))).StatusCode);
    }

    private const RecordPurchaseBatch.ItemOutcome Created = RecordPurchaseBatch.ItemOutcome.Created;
    private const RecordPurchaseBatch.ItemOutcome Already = RecordPurchaseBatch.ItemOutcome.AlreadyRecorded;
    private const RecordPurchaseBatch.ItemOutcome Invalid = RecordPurchaseBatch.ItemOutcome.Invalid;

    private static string PersianDigits(string s) => string.Concat(s.Select(c => char.IsAsciiDigit(c) ? (char)('۰' + (c - '0')) : c));
}
