using System.Net;
using Payvand.Modules.Contacts;
using Payvand.Modules.Purchases;
using Payvand.Tests.Infrastructure;
using static Payvand.Tests.Modules.Purchases.PurchaseTestData;

namespace Payvand.Tests.Modules.Purchases;

// Amounts, quantities and line counts have sane bounds, answered with field errors: quantity × price once overflowed
// a long into a 500, and a person's net spent could reach a long's end.
[Trait("Category", "Integration")]
public sealed class PurchaseLimitsTests(PayvandApp app) : IClassFixture<PayvandApp>
{
    private static RecordPurchase.Request OneLine(decimal quantity, long unitPrice, long discount = 0) => new()
    {
        Channel = PurchaseChannel.InStore,
        Lines = [new RecordPurchase.LineInput(Description: "طلا", Quantity: quantity, UnitPrice: unitPrice, Discount: discount)],
    };

    [Fact]
    public async Task Quantity_times_price_past_the_bound_is_a_field_error_not_a_500()
    {
        var client = await app.ClientFor(await app.CreateUser("Sales", app.MainBranchId), "fa-IR");
        var problem = await (await client.PostJson("/api/purchases", OneLine(1_000_000, 9_000_000_000_000_000))).Problem(HttpStatusCode.BadRequest);
        Assert.Equal("قیمت واحد باید حداکثر 1000000000000000 باشد.", problem.GetProperty("errors").GetProperty("lines[0].unitPrice")[0].GetString());

        var product = await (await client.PostJson("/api/purchases", OneLine(999_999, 999_999_999_999_999))).Problem(HttpStatusCode.BadRequest);
        Assert.True(product.GetProperty("errors").TryGetProperty("lines[0].quantity", out _));

        var quantity = await (await client.PostJson("/api/purchases", OneLine(10_000_000, 1))).Problem(HttpStatusCode.BadRequest);
        Assert.True(quantity.GetProperty("errors").TryGetProperty("lines[0].quantity", out _));
    }

    [Fact]
    public async Task The_largest_allowed_purchase_is_recorded_and_summed_exactly()
    {
        var client = await app.ClientAs("Sales");
        var person = await Person(client);
        var purchase = await Record(client, OneLine(1, Purchase.MaxAmount) with { ContactId = person });
        Assert.Equal(Purchase.MaxAmount, purchase.Total);
        var details = await (await client.GetAsync($"/api/contacts/{person}")).Read<ContactDetails>();
        Assert.Equal(Purchase.MaxAmount, details.Purchases!.NetSpent);
    }

    [Fact]
    public async Task More_lines_than_allowed_are_refused_in_a_purchase_and_in_a_batch()
    {
        var client = await app.ClientAs("Sales");
        var line = new RecordPurchase.LineInput(Description: "نان", Quantity: 1, UnitPrice: 10_000);
        var tooMany = new RecordPurchase.Request { Channel = PurchaseChannel.InStore, Lines = Enumerable.Repeat(line, Purchase.MaxLines + 1).ToList() };
        var problem = await (await client.PostJson("/api/purchases", tooMany)).Problem(HttpStatusCode.BadRequest);
        Assert.Equal("At most 500 items are accepted.", problem.GetProperty("errors").GetProperty("lines")[0].GetString());

        var full = tooMany with { Lines = Enumerable.Repeat(line, Purchase.MaxLines).ToList() };
        var batch = new RecordPurchaseBatch.Request { Purchases = Enumerable.Repeat(full, 11).ToList() };
        var refused = await (await client.PostJson("/api/purchases/batch", batch)).Problem(HttpStatusCode.BadRequest);
        Assert.True(refused.GetProperty("errors").TryGetProperty("purchases", out _));
    }

    [Fact]
    public async Task A_product_price_past_the_bound_is_a_field_error()
    {
        var client = await app.AdminClient();
        var problem = await (await client.PostJson("/api/products", new ProductInput("GOLD-" + Guid.NewGuid().ToString("N")[..6], "طلا", null, long.MaxValue)))
            .Problem(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("price", out _));
    }
}
