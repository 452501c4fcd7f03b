using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Payvand.Modules.Contacts;
using Payvand.Modules.Purchases;
using Payvand.Platform.Api;
using Payvand.Platform.Privacy;
using Payvand.Tests.Infrastructure;
using static Payvand.Tests.Modules.Purchases.PurchaseTestData;

namespace Payvand.Tests.Modules.Purchases;

[Trait("Category", "Integration")]
public sealed class PurchasesApiTests(PayvandApp app) : IClassFixture<PayvandApp>
{
    private static readonly DateTime Day1 = new(2026, 3, 1, 9, 0, 0, DateTimeKind.Utc);

    [Fact]
    public async Task Records_lines_totals_timeline_and_summary_without_touching_the_persons_version()
    {
        var client = await app.ClientAs("Sales");
        var contactId = await Person(client);
        var before = await (await client.GetAsync($"/api/contacts/{contactId}")).Read<ContactDetails>();

        var purchase = await Record(client, Order(contactId, Day1));

        Assert.Equal([290_000L, 500_000L], purchase.Lines.Select(l => l.LineTotal));
        Assert.Equal(750_000, purchase.Total);
        Assert.Equal("IRR", purchase.Currency);
        Assert.Equal(app.MainBranchId, purchase.BranchId);
        var person = await (await client.GetAsync($"/api/contacts/{contactId}")).Read<ContactDetails>();
        Assert.Equal(new PurchaseSummary(1, 750_000, Day1, Day1), person.Purchases);
        Assert.Equal(before.Version, person.Version);

        await using var db = await app.Db();
        var entry = await db.Activities.SingleAsync(a => a.SourceType == "Purchase" && a.SourceId == purchase.Id.ToString());
        Assert.Equal(contactId, entry.ContactId);
        Assert.False(await db.Audit.AnyAsync(a => a.EntityType == nameof(Contact) && a.EntityId == contactId.ToString() && a.Changes != null && a.Changes.Contains("NetSpent")));
        Assert.True(await db.Audit.AnyAsync(a => a.EntityType == nameof(Purchase) && a.EntityId == purchase.Id.ToString()));
    }

    [Fact]
    public async Task Summary_follows_several_purchases_and_refunds()
    {
        var client = await app.ClientAs("Sales");
        var contactId = await Person(client);
        var first = await Record(client, Order(contactId, Day1.AddDays(10)));
        var second = await Record(client, Order(contactId, Day1));
        await Record(client, Order(contactId, Day1.AddDays(20)) with { Lines = [new RecordPurchase.LineInput(Description: "نان", Quantity: 1.5m, UnitPrice: 100_001)], Discount = 0 });
        await (await client.PostJson($"/api/purchases/{first.Id}/refunds", new RefundPurchase.Request { Amount = 50_000 })).Read<PurchaseDetails>(HttpStatusCode.Created);
        await (await client.PostJson($"/api/purchases/{second.Id}/refunds", new RefundPurchase.Request { Amount = 750_000 })).Read<PurchaseDetails>(HttpStatusCode.Created);

        var person = await (await client.GetAsync($"/api/contacts/{contactId}")).Read<ContactDetails>();
        // 750,000 − 50,000 + 0 + round(1.5 × 100,001) = 700,000 + 150,002
        Assert.Equal(new PurchaseSummary(3, 850_002, Day1, Day1.AddDays(20)), person.Purchases);
        await using var db = await app.Db();
        var net = await db.Purchases.Where(p => p.ContactId == contactId).SumAsync(p => p.Total - p.Refunded);
        Assert.Equal(net, person.Purchases.NetSpent);
    }

    [Fact]
    public async Task Refunds_partial_then_full_and_never_more_than_paid()
    {
        var client = await app.ClientAs("Sales");
        var contactId = await Person(client);
        var purchase = await Record(client, Order(contactId, Day1));
        var teaLine = purchase.Lines[0].Id;

        var partial = await (await client.PostJson($"/api/purchases/{purchase.Id}/refunds",
            new RefundPurchase.Request { Amount = 145_000, Reason = "یک بسته برگشت", Lines = [new RefundPurchase.LineInput(teaLine, 1)] })).Read<PurchaseDetails>(HttpStatusCode.Created);
        Assert.Equal(605_000, partial.Net);
        Assert.Equal(1m, partial.Refunds.Single().Lines.Single().Quantity);

        await (await client.PostJson($"/api/purchases/{purchase.Id}/refunds",
            new RefundPurchase.Request { Amount = 605_001 })).Problem(HttpStatusCode.Conflict);
        await (await client.PostJson($"/api/purchases/{purchase.Id}/refunds",
            new RefundPurchase.Request { Amount = 10, Lines = [new RefundPurchase.LineInput(teaLine, 2)] })).Problem(HttpStatusCode.Conflict);

        var full = await (await client.PostJson($"/api/purchases/{purchase.Id}/refunds",
            new RefundPurchase.Request { Amount = 605_000 })).Read<PurchaseDetails>(HttpStatusCode.Created);
        Assert.Equal(0, full.Net);
        await (await client.PostJson($"/api/purchases/{purchase.Id}/refunds", new RefundPurchase.Request { Amount = 1 })).Problem(HttpStatusCode.Conflict);

        var person = await (await client.GetAsync($"/api/contacts/{contactId}")).Read<ContactDetails>();
        Assert.Equal(0, person.Purchases.NetSpent);
        Assert.Equal(1, person.Purchases.PurchaseCount);
        await using var db = await app.Db();
        Assert.Equal(2, await db.Activities.CountAsync(a => a.SourceType == "Refund" && a.ContactId == contactId));
    }

    [Fact]
    public async Task An_order_of_a_source_system_is_recorded_once()
    {
        var client = await app.ClientAs("Sales");
        var order = Order(null) with { SourceSystem = "pos-1", ExternalOrderId = "A-" + Guid.NewGuid().ToString("N")[..8] };
        var first = await Record(client, order);
        var problem = await (await client.PostJson("/api/purchases", order)).Problem(HttpStatusCode.Conflict);
        Assert.Equal(first.Id, problem.GetProperty("purchaseId").GetInt32());

        // Sent at once from two tills: one purchase.
        var race = order with { ExternalOrderId = "B-" + Guid.NewGuid().ToString("N")[..8] };
        var statuses = await Task.WhenAll(Enumerable.Range(0, 5).Select(async _ => (await client.PostJson("/api/purchases", race)).StatusCode));
        Assert.Equal(1, statuses.Count(s => s == HttpStatusCode.Created));
        Assert.Equal(4, statuses.Count(s => s == HttpStatusCode.Conflict));
    }

    [Fact]
    public async Task A_pos_sending_only_a_mobile_finds_the_person_or_creates_one()
    {
        var client = await app.ClientAs("Sales");
        var mobile = "0912" + Random.Shared.Next(1_000_000, 9_999_999);
        var known = await Person(client, mobile: mobile);
        var matched = await Record(client, Order(null) with { Mobile = PersianDigits(mobile) });
        Assert.Equal(known, matched.ContactId);

        var newMobile = "0935" + Random.Shared.Next(1_000_000, 9_999_999);
        var created = await Record(client, Order(null) with { Mobile = newMobile, CustomerName = "مشتری تازه" });
        Assert.NotNull(created.ContactId);
        var person = await (await client.GetAsync($"/api/contacts/{created.ContactId}")).Read<ContactDetails>();
        Assert.Equal("مشتری تازه", person.LastName);
        Assert.Equal(RecordSource.Pos, person.Source);
        Assert.Equal(1, person.Purchases.PurchaseCount);
    }

    [Fact]
    public async Task Another_branch_cannot_see_or_refund_a_purchase()
    {
        var home = await app.CreateBranch("Purchases home " + Guid.NewGuid().ToString("N")[..6]);
        var away = await app.CreateBranch("Purchases away " + Guid.NewGuid().ToString("N")[..6]);
        var seller = await app.ClientAs("Sales", home);
        var outsider = await app.ClientAs("Sales", away);
        var purchase = await Record(seller, Order(await Person(seller, home), Day1, home));

        Assert.Equal(HttpStatusCode.NotFound, (await outsider.GetAsync($"/api/purchases/{purchase.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await outsider.PostJson($"/api/purchases/{purchase.Id}/refunds", new RefundPurchase.Request { Amount = 1 })).StatusCode);
        var list = await (await outsider.GetAsync($"/api/purchases?branchId={home}")).Read<PagedResult<PurchaseRow>>();
        Assert.Empty(list.Items);
        var all = await (await outsider.GetAsync("/api/purchases?pageSize=500")).Read<PagedResult<PurchaseRow>>();
        Assert.DoesNotContain(all.Items, p => p.Id == purchase.Id);
        await (await outsider.PostJson("/api/purchases", Order(null, null, home))).Problem(HttpStatusCode.BadRequest);

        var own = await (await seller.GetAsync($"/api/purchases?branchId={home}")).Read<PagedResult<PurchaseRow>>();
        Assert.Equal([purchase.Id], own.Items.Select(p => p.Id));
    }

    // A purchase once took the branch of whoever recorded it (or the branch the request named): the person's branch
    // then saw the person's summary count it but not the purchase itself. It belongs to the person's branch, however it
    // is recorded: one purchase, a batch, by the person's id or mobile.
    [Fact]
    public async Task A_purchase_belongs_to_the_persons_branch_whoever_records_it()
    {
        var home = await app.CreateBranch("Purchases of home " + Guid.NewGuid().ToString("N")[..6]);
        var shop = await app.CreateBranch("Purchases shop " + Guid.NewGuid().ToString("N")[..6]);
        var admin = await app.AdminClient(); // works in the main branch
        var mobile = "0912" + Random.Shared.Next(1_000_000, 9_999_999);
        var person = await Person(admin, home, mobile);

        var byId = await Record(admin, Order(person, Day1));
        var elsewhere = await Record(admin, Order(person, Day1.AddDays(1), shop));
        var byMobile = await Record(admin, Order(null, Day1.AddDays(2), shop) with { Mobile = mobile });
        var batch = await (await admin.PostJson("/api/purchases/batch", new RecordPurchaseBatch.Request { Purchases = [Order(person, Day1.AddDays(3), shop)] }))
            .Read<RecordPurchaseBatch.Result>();
        var ids = new[] { byId.Id, elsewhere.Id, byMobile.Id, batch.Purchases[0].PurchaseId!.Value };
        Assert.All([byId, elsewhere, byMobile], p => Assert.Equal((home, person), (p.BranchId, p.ContactId)));
        Assert.StartsWith("Purchases of home ", byId.BranchName, StringComparison.Ordinal);

        var clerk = await app.ClientAs("Sales", home);
        var seen = await (await clerk.GetAsync($"/api/purchases?contactId={person}")).Read<PagedResult<PurchaseRow>>();
        Assert.Equal(ids.AsEnumerable().Reverse(), seen.Items.Select(p => p.Id));
        Assert.All(seen.Items, p => Assert.Equal(home, p.BranchId));
        foreach (var id in ids) Assert.Equal(home, (await (await clerk.GetAsync($"/api/purchases/{id}")).Read<PurchaseDetails>()).BranchId);
        var summary = (await (await clerk.GetAsync($"/api/contacts/{person}")).Read<ContactDetails>()).Purchases;
        Assert.Equal(seen.Items.Count, summary.PurchaseCount);

        // The shop's clerk sees neither the person nor their purchases.
        var shopClerk = await app.ClientAs("Sales", shop);
        Assert.Empty((await (await shopClerk.GetAsync($"/api/purchases?branchId={shop}")).Read<PagedResult<PurchaseRow>>()).Items);
    }

    [Fact]
    public async Task Nobody_signed_out_reads_or_records()
    {
        var client = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Accept.ParseAdd("application/json");
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostJson("/api/purchases", Order(null))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/purchases")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/products")).StatusCode);
    }

    [Fact]
    public async Task Invalid_purchase_gives_field_errors_in_persian()
    {
        var client = await app.ClientFor(await app.CreateUser("Sales", app.MainBranchId), "fa-IR");
        var bad = Order(null) with
        {
            Mobile = "12",
            SourceSystem = "pos",
            Lines = [new RecordPurchase.LineInput(Description: " ", Quantity: 0, UnitPrice: -5)],
        };
        var errors = (await (await client.PostJson("/api/purchases", bad)).Problem(HttpStatusCode.BadRequest)).GetProperty("errors");
        Assert.Equal("شماره تلفن معتبر نیست.", errors.GetProperty("mobile")[0].GetString());
        Assert.Equal("سامانه مبدأ و شماره سفارش آن را با هم بفرستید یا هیچ‌کدام را.", errors.GetProperty("externalOrderId")[0].GetString());
        Assert.Contains("شرح", errors.GetProperty("lines[0].description")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal("تعداد باید بیشتر از صفر باشد.", errors.GetProperty("lines[0].quantity")[0].GetString());
        Assert.Equal("قیمت واحد نمی‌تواند منفی باشد.", errors.GetProperty("lines[0].unitPrice")[0].GetString());
    }

    [Fact]
    public async Task People_list_filters_and_sorts_by_purchases()
    {
        var branch = await app.CreateBranch("Spend " + Guid.NewGuid().ToString("N")[..6]);
        var client = await app.ClientAs("Sales", branch);
        var none = await Person(client, branch);
        var once = await Person(client, branch);
        var twice = await Person(client, branch);
        await Record(client, Order(once, Day1, branch));
        await Record(client, Order(twice, Day1.AddDays(1), branch));
        await Record(client, Order(twice, Day1.AddDays(40), branch));

        async Task<List<int>> Ids(string query) =>
            (await (await client.GetAsync($"/api/contacts?branchId={branch}&{query}")).Read<PagedResult<ContactRow>>()).Items.Select(r => r.Id).ToList();

        Assert.Equal([once, twice], await Ids("minSpent=750000&sort=spent"));
        Assert.Equal([twice], await Ids("minSpent=۸۰۰۰۰۰"));
        Assert.Equal([none, once], await Ids("maxSpent=750000&sort=spent"));
        Assert.Equal([twice], await Ids("minPurchases=2"));
        Assert.Equal([none, once], await Ids("maxPurchases=1&sort=spent"));
        Assert.Equal([twice], await Ids("lastPurchaseFrom=2026-03-20"));
        Assert.Equal([once], await Ids("lastPurchaseFrom=2026-02-01&lastPurchaseTo=2026-03-05"));
        Assert.Equal([twice, once, none], await Ids("sort=-lastPurchase"));
        Assert.Equal([once, twice, none], await Ids("sort=lastPurchase"));
        // Filtered to buyers, the same order comes from the last-purchase index alone.
        Assert.Equal([twice, once], await Ids("minPurchases=1&sort=-lastPurchase"));
        Assert.Equal([once, twice], await Ids("minSpent=1&sort=lastPurchase"));
        Assert.Equal([twice], await Ids("lastPurchaseFrom=2026-03-20&sort=-lastPurchase"));
        await (await client.GetAsync("/api/contacts?minSpent=abc")).Problem(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Erasing_keeps_the_purchase_without_the_person_and_merging_moves_it()
    {
        var client = await app.ClientAs("Sales");
        var gone = await Person(client);
        var from = await Person(client);
        var into = await Person(client);
        var kept = await Record(client, Order(gone, Day1) with { Note = "مشتری قد بلند" });
        await Record(client, Order(from, Day1));
        await Record(client, Order(into, Day1.AddDays(5)));
        var part = app.Services.GetServices<IPersonalData>().Single(p => p.Section == "purchases");

        await using (var db = await app.Db())
        {
            Assert.NotNull(await part.Export(db, gone, CancellationToken.None));
            await part.Erase(db, gone, CancellationToken.None);
            await part.MoveTo(db, from, into, CancellationToken.None);
        }

        await using var check = await app.Db();
        var anonymous = await check.Purchases.SingleAsync(p => p.Id == kept.Id);
        Assert.Null(anonymous.ContactId);
        Assert.Null(anonymous.Note);
        Assert.Equal(750_000, anonymous.Total);
        Assert.Equal(0, (await check.Contacts.SingleAsync(c => c.Id == gone)).PurchaseCount);
        Assert.Equal(0, (await check.Contacts.SingleAsync(c => c.Id == from)).PurchaseCount);
        var survivor = await check.Contacts.SingleAsync(c => c.Id == into);
        Assert.Equal(new PurchaseSummary(2, 1_500_000, Day1, Day1.AddDays(5)), survivor.Purchases);
    }

    [Fact]
    public async Task Products_and_categories_are_added_and_used_on_lines()
    {
        var client = await app.ClientAs("Sales");
        var category = await (await client.PostJson("/api/product-categories", new CategoryInput("نوشیدنی", null))).Read<CategoryDto>(HttpStatusCode.Created);
        var sku = "SKU-" + Guid.NewGuid().ToString("N")[..6];
        var product = await (await client.PostJson("/api/products", new ProductInput(sku, "دوغ", category.Id, 120_000))).Read<ProductDto>(HttpStatusCode.Created);
        Assert.Equal("نوشیدنی", product.CategoryName);
        var duplicate = await (await client.PostJson("/api/products", new ProductInput(sku, "دیگر", null, 1))).Problem(HttpStatusCode.BadRequest);
        Assert.True(duplicate.GetProperty("errors").TryGetProperty("sku", out _));
        var changed = await (await client.PutJson($"/api/products/{product.Id}", new ProductInput(sku, "دوغ محلی", category.Id, 130_000))).Read<ProductDto>();
        Assert.Equal(130_000, changed.Price);

        var purchase = await Record(client, Order(null) with { Discount = 0, Lines = [new RecordPurchase.LineInput(ProductId: product.Id, Quantity: 3)] });
        Assert.Equal("دوغ محلی", purchase.Lines.Single().Description);
        Assert.Equal(sku, purchase.Lines.Single().ProductSku);
        Assert.Equal(390_000, purchase.Total);
        var found = await (await client.GetAsync($"/api/products?q={sku}")).Read<PagedResult<ProductDto>>();
        Assert.Equal([product.Id], found.Items.Select(p => p.Id));
    }

    private static string PersianDigits(string s) => Payvand.Platform.Persian.PersianText.ToPersianDigits(s);
}
