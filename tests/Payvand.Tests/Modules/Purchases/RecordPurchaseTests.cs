using System.Net;
using Microsoft.EntityFrameworkCore;
using Payvand.Modules.Contacts;
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
}
