using System.Net;
using Microsoft.EntityFrameworkCore;
using Payvand.Modules.Activities;
using Payvand.Modules.Contacts;
using Payvand.Modules.Purchases;
using Payvand.Platform.Api;
using Payvand.Platform.Audit;
using Payvand.Tests.Infrastructure;
using static Payvand.Tests.Modules.Purchases.PurchaseTestData;

namespace Payvand.Tests.Modules.Purchases;

[Trait("Category", "Integration")]
public sealed class RecordPurchaseTests(PayvandApp app) : IClassFixture<PayvandApp>
{
    [Fact]
    public async Task A_mobile_finds_the_oldest_live_person_the_caller_may_see()
    {
        var elsewhere = await app.CreateBranch("Mobile elsewhere " + Guid.NewGuid().ToString("N")[..6]);
        var admin = await app.AdminClient();
        var clerk = await app.ClientAs("Sales");
        var mobile = "0913" + Random.Shared.Next(1_000_000, 9_999_999);
        var hidden = await Person(admin, elsewhere, mobile);
        var deleted = await Person(admin, app.MainBranchId, mobile);
        var oldest = await Person(admin, app.MainBranchId, mobile);
        var younger = await Person(admin, app.MainBranchId, mobile);
        Assert.True(hidden < deleted && deleted < oldest && oldest < younger);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/contacts/{deleted}")).StatusCode);

        var byClerk = await Record(clerk, Order(null) with { Mobile = "+98" + mobile[1..] });
        var byAdmin = await Record(admin, Order(null) with { Mobile = mobile });

        Assert.Equal(oldest, byClerk.ContactId);
        Assert.Equal(hidden, byAdmin.ContactId);
    }

    [Fact]
    public async Task A_repeated_order_from_an_unknown_mobile_creates_one_person()
    {
        var client = await app.ClientAs("Sales");
        var mobile = "0936" + Random.Shared.Next(1_000_000, 9_999_999);
        var order = Order(null) with { Mobile = mobile, SourceSystem = "pos-2", ExternalOrderId = "M-" + Guid.NewGuid().ToString("N")[..8] };

        var first = await Record(client, order);
        var problem = await (await client.PostJson("/api/purchases", order)).Problem(HttpStatusCode.Conflict);

        Assert.Equal(first.Id, problem.GetProperty("purchaseId").GetInt32());
        await using var db = await app.Db();
        var e164 = "+98" + mobile[1..];
        var holders = await db.Contacts.Where(c => c.Points.Any(p => p.Kind == ContactPointKind.Mobile && p.NormalizedValue == e164)).Select(c => c.Id).ToListAsync();
        Assert.Equal([first.ContactId!.Value], holders);
    }

    // The answer is built from what was written, not read back: it must be what GET reads, to the byte (instants to
    // the microsecond on PostgreSQL, quantities whatever scale the database gives back, the product's SKU).
    [Fact]
    public async Task The_answer_is_the_purchase_as_read_back_and_its_replay_the_same_bytes()
    {
        var client = await app.ClientAs("Sales");
        var contactId = await Person(client);
        var sku = "SKU-" + Guid.NewGuid().ToString("N")[..8];
        var product = await (await client.PostJson("/api/products", new ProductInput(sku, "پنیر " + sku, null, 90_001))).Read<ProductDto>(HttpStatusCode.Created);
        var order = Order(contactId, new DateTime(2026, 2, 3, 4, 5, 6, DateTimeKind.Utc).AddTicks(1_234_567)) with
        {
            Note = "کیک یلدا، ۲ عدد",
            SourceSystem = "pos-9",
            ExternalOrderId = "A-" + Guid.NewGuid().ToString("N")[..8],
            Lines =
            [
                new RecordPurchase.LineInput(ProductId: product.Id, Quantity: 1.5m),
                new RecordPurchase.LineInput(Description: "چای", Quantity: 2.000m, UnitPrice: 150_000, Discount: 10_000),
                new RecordPurchase.LineInput(Description: "زعفران", Quantity: 0.12345m, UnitPrice: 1_000_000),
            ],
        };
        var key = "answer-" + Guid.NewGuid();

        var first = await PostWithKey(client, "/api/purchases", key, order);
        var body = await first.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var created = System.Text.Json.JsonSerializer.Deserialize<PurchaseDetails>(body, HttpExtensions.Json)!;
        var read = await client.GetAsync($"/api/purchases/{created.Id}");
        var replay = await PostWithKey(client, "/api/purchases", key, order);

        Assert.Equal(await read.Content.ReadAsStringAsync(), body);
        Assert.Equal(body, await replay.Content.ReadAsStringAsync());
        Assert.Equal(first.Headers.Location, replay.Headers.Location);
        Assert.Equal($"/api/purchases/{created.Id}", first.Headers.Location?.OriginalString);
        Assert.Equal([sku, null, null], created.Lines.Select(l => l.ProductSku));
        // Quantities are kept to three decimals, and the line's total is of the quantity kept.
        Assert.Equal([1.5m, 2m, 0.123m], created.Lines.Select(l => l.Quantity));
        Assert.Equal([135_002L, 290_000L, 123_000L], created.Lines.Select(l => l.LineTotal));
        Assert.Equal("کیک یلدا، 2 عدد", created.Note);
        Assert.Equal(new DateTime(2026, 2, 3, 4, 5, 6, DateTimeKind.Utc).AddTicks(1_234_560), created.OccurredAt);
    }

    [Fact]
    public async Task The_answer_for_a_person_created_from_a_mobile_is_as_read_back()
    {
        var client = await app.ClientAs("Sales");
        var order = Order(null) with { Mobile = "0937" + Random.Shared.Next(1_000_000, 9_999_999), CustomerName = "مشتري تازه" };

        var posted = await client.PostJson("/api/purchases", order);
        var body = await posted.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.Created, posted.StatusCode);
        var created = System.Text.Json.JsonSerializer.Deserialize<PurchaseDetails>(body, HttpExtensions.Json)!;

        Assert.Equal("مشتری تازه", created.ContactName);
        Assert.Equal(await (await client.GetAsync($"/api/purchases/{created.Id}")).Content.ReadAsStringAsync(), body);
    }

    // Every purchase of a person adds to one row (the summary) and writes its own timeline and audit entries: many at
    // once, with and without Idempotency-Keys, must neither lose an addition nor fail.
    [Fact]
    public async Task Concurrent_purchases_of_one_person_keep_the_summary_exact()
    {
        var client = await app.ClientAs("Sales");
        var contactId = await Person(client);
        var day = new DateTime(2025, 12, 1, 8, 0, 0, DateTimeKind.Utc);

        var responses = await Task.WhenAll(Enumerable.Range(0, 16).Select(i => i % 2 == 0
            ? PostWithKey(client, "/api/purchases", "same-person-" + Guid.NewGuid(), Order(contactId, day.AddDays(i)))
            : client.PostJson("/api/purchases", Order(contactId, day.AddDays(i)))));
        var created = await Task.WhenAll(responses.Select(r => r.Read<PurchaseDetails>(HttpStatusCode.Created)));

        var person = await (await client.GetAsync($"/api/contacts/{contactId}")).Read<ContactDetails>();
        Assert.Equal(new PurchaseSummary(16, 16 * 750_000, day, day.AddDays(15)), person.Purchases);
        await using var db = await app.Db();
        var ids = created.Select(p => p.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
        var entries = await db.Activities.Where(a => a.SourceType == "Purchase" && ids.Contains(a.SourceId!)).ToListAsync();
        Assert.Equal(16, entries.Count);
        Assert.All(entries, e => Assert.Equal((ActivityKind.External, contactId, app.MainBranchId), (e.Kind, e.ContactId, e.BranchId)));
        Assert.Equal(16, await db.Audit.CountAsync(a => a.EntityType == nameof(Purchase) && a.Action == AuditAction.Create && ids.Contains(a.EntityId!)));
        Assert.Equal(8, await db.IdempotencyKeys.CountAsync(k => k.Key.StartsWith("same-person-") && k.CompletedAt != null && k.ResponseBody != null));
    }

    [Fact]
    public async Task A_branch_that_does_not_exist_is_a_field_error()
    {
        var admin = await app.AdminClient();
        var problem = await (await admin.PostJson("/api/purchases", Order(null, branchId: 999_999))).Problem(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("branchId", out _), problem.ToString());
    }

    // A handler that fails after the key was claimed frees it, and a failure inside the purchase's transaction leaves
    // nothing behind: no purchase, no stored answer.
    [Fact]
    public async Task A_duplicate_order_under_a_new_key_is_409_and_frees_that_key()
    {
        var client = await app.ClientAs("Sales");
        var order = Order(await Person(client)) with { SourceSystem = "pos-3", ExternalOrderId = "D-" + Guid.NewGuid().ToString("N")[..8] };
        var first = await (await PostWithKey(client, "/api/purchases", "k1-" + Guid.NewGuid(), order)).Read<PurchaseDetails>(HttpStatusCode.Created);
        var second = "k2-" + Guid.NewGuid();

        var problem = await (await PostWithKey(client, "/api/purchases", second, order)).Problem(HttpStatusCode.Conflict);

        Assert.Equal(first.Id, problem.GetProperty("purchaseId").GetInt32());
        await using var db = await app.Db();
        Assert.False(await db.IdempotencyKeys.AnyAsync(k => k.Key == second));
        Assert.Equal(1, await db.Purchases.CountAsync(p => p.SourceSystem == "pos-3" && p.ExternalOrderId == order.ExternalOrderId));
    }

    // The person's branch is checked against the caller's in code (the read is a compiled query): someone of another
    // branch, or a deleted person, is "not found" and nothing is written.
    [Fact]
    public async Task A_person_the_caller_may_not_see_or_a_deleted_one_is_not_found()
    {
        var home = await app.CreateBranch("Record home " + Guid.NewGuid().ToString("N")[..6]);
        var seller = await app.ClientAs("Sales", home);
        var outsider = await app.ClientAs("Sales", await app.CreateBranch("Record away " + Guid.NewGuid().ToString("N")[..6]));
        var admin = await app.AdminClient();
        var hidden = await Person(seller, home);
        var deleted = await Person(admin, app.MainBranchId);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/contacts/{deleted}")).StatusCode);

        var refused = await (await outsider.PostJson("/api/purchases", Order(hidden))).Problem(HttpStatusCode.BadRequest);
        var gone = await (await admin.PostJson("/api/purchases", Order(deleted))).Problem(HttpStatusCode.BadRequest);

        Assert.True(refused.GetProperty("errors").TryGetProperty("contactId", out _), refused.ToString());
        Assert.True(gone.GetProperty("errors").TryGetProperty("contactId", out _), gone.ToString());
        await using var db = await app.Db();
        Assert.False(await db.Purchases.AnyAsync(p => p.ContactId == hidden || p.ContactId == deleted));
        Assert.Equal(0, await db.Contacts.IgnoreQueryFilters().Where(c => c.Id == hidden || c.Id == deleted).SumAsync(c => c.PurchaseCount));
    }
}
