using System.Net;
using Microsoft.EntityFrameworkCore;
using Payvand.Modules.Contacts;
using Payvand.Modules.Purchases;
using Payvand.Platform.Api;
using Payvand.Tests.Infrastructure;
using static Payvand.Tests.Modules.Purchases.PurchaseTestData;

namespace Payvand.Tests.Modules.Purchases;

[Trait("Category", "Integration")]
public sealed class ListPurchasesTests(PayvandApp app) : IClassFixture<PayvandApp>
{
    private static readonly DateTime Day1 = new(2026, 4, 1, 9, 0, 0, DateTimeKind.Utc);

    // A person's purchase is in the person's branch (RecordPurchase); one whose person moved to a branch the reader
    // cannot see keeps its branch and loses the name.
    [Fact]
    public async Task Rows_name_the_person_only_for_those_who_may_see_them()
    {
        var shop = await app.CreateBranch("List shop " + Guid.NewGuid().ToString("N")[..6]);
        var home = await app.CreateBranch("List home " + Guid.NewGuid().ToString("N")[..6]);
        var admin = await app.AdminClient();
        var sara = await Person(admin, shop);
        var lastOnly = (await (await admin.PostJson("/api/contacts", new ContactInput { LastName = "فقط نام خانوادگی", BranchId = shop }))
            .Read<ContactDetails>(HttpStatusCode.Created)).Id;
        var first = await Record(admin, Order(sara, Day1, shop));
        var second = await Record(admin, Order(lastOnly, Day1.AddHours(1), shop));
        var anonymous = await Record(admin, Order(null, Day1.AddHours(2), shop));
        // Both people move to a branch whose clerk the shop's clerk is not.
        await using (var db = await app.Db())
        {
            await db.Contacts.Where(c => c.Id == sara || c.Id == lastOnly).ExecuteUpdateAsync(s => s.SetProperty(c => c.BranchId, home));
        }

        var seen = await (await admin.GetAsync($"/api/purchases?branchId={shop}")).Read<PagedResult<PurchaseRow>>();
        Assert.Equal([anonymous.Id, second.Id, first.Id], seen.Items.Select(r => r.Id));
        Assert.Equal([null, "فقط نام خانوادگی", first.ContactName], seen.Items.Select(r => r.ContactName));
        Assert.StartsWith("سارا خریدار ", first.ContactName, StringComparison.Ordinal);
        Assert.All(seen.Items, r => Assert.Equal(2, r.LineCount));
        Assert.All(seen.Items, r => Assert.StartsWith("List shop ", r.BranchName, StringComparison.Ordinal));

        var clerk = await app.ClientAs("Sales", shop);
        var hidden = await (await clerk.GetAsync($"/api/purchases?branchId={shop}")).Read<PagedResult<PurchaseRow>>();
        Assert.Equal([anonymous.Id, second.Id, first.Id], hidden.Items.Select(r => r.Id));
        Assert.Equal([null, lastOnly, sara], hidden.Items.Select(r => r.ContactId));
        Assert.All(hidden.Items, r => Assert.Null(r.ContactName));
    }
}
